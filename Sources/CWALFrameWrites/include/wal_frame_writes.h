#ifndef PARLEY_WAL_FRAME_WRITES_H
#define PARLEY_WAL_FRAME_WRITES_H

/// A SQLite file system layer ("VFS") that wraps another one and changes one thing: SQLite writes
/// each WAL frame as two calls, its 24-byte header and then its page; this layer holds the header
/// and writes both in one call. See wal_frame_writes.c for why and for the rules it keeps.

/// Registers the layer over the VFS named `wrapped` and makes it the process's default, so every
/// connection opened afterwards uses it. Safe to call more than once: later calls change nothing
/// and return the first call's result. Returns SQLITE_OK, or SQLITE_ERROR if `wrapped` is unknown.
int parley_wal_frame_writes_install(const char *wrapped);

/// How many frames this process has written in one call instead of two (for tests and diagnostics).
unsigned long long parley_wal_frame_writes_joined(void);

/// The layer's name, as `sqlite3_vfs_find` knows it.
extern const char *const parley_wal_frame_writes_name;

#endif
