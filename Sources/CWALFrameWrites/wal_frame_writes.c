// A SQLite file system layer that writes each WAL frame in one call instead of two.
//
// Why: SQLite appends a frame to the WAL as two writes, the frame's 24-byte header and then its
// page (walWriteOneFrame). Each is a `pwrite` system call, and each call pays the kernel's fixed
// cost (entering it, the file system's locking and bookkeeping) whatever its size. A post writes
// ≈ 2.9 frames, so joining them saves ≈ 2.9 calls per post (BENCHMARKS.md, "Round 8").
//
// How: every file is opened through the wrapped layer, and every call is passed on to it, except
// that a 24-byte write to a WAL file past its 32-byte header is held in the file object instead of
// written. If the next call on that file object is a write that continues exactly where the header
// ends, header and data are copied side by side and written in one call. Any other call on the
// file object (a write elsewhere, a read, a sync, a size query, a lock, a file control, a close)
// first writes the held header on its own, so nothing can observe the file without it.
//
// What this relies on from SQLite: that a frame's page follows its header before the commit
// ends, as walWriteOneFrame has always written them, back to back. Then no header is held when a
// commit is published to other connections (in the WAL index, shared memory), nor when
// `WALFlusher` flushes the WAL through a descriptor of its own. Should SQLite ever end a commit on
// a header, that header would reach the file only with the next call, and a crash or power cut in
// between would cost the commit: WALFrameWritesTests reads back a WAL written through this layer from the
// file alone and would fail. SQLite's own calls need nothing: each writes a held header first.
//
// A file object is used by one connection at a time (SQLite serialises calls on it), so the
// held header needs no lock.

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "wal_frame_writes.h"

enum {
    frameHeaderSize = 24,
    walHeaderSize = 32,
};

const char *const parley_wal_frame_writes_name = "parley-wal-frames";

typedef struct FrameFile {
    // First, as SQLite requires: `pMethods` points at this layer's methods.
    sqlite3_file base;
    // The wrapped layer's file object, in the same allocation, after this struct.
    sqlite3_file *wrapped;
    int isWAL;
    int holdsHeader;
    sqlite3_int64 headerOffset;
    unsigned char header[frameHeaderSize];
    // Header and data side by side; grown to the largest frame seen, reused for every frame.
    unsigned char *joined;
    int joinedCapacity;
} FrameFile;

static sqlite3_vfs *wrappedVFS;
static sqlite3_vfs layer;
static atomic_ullong joinedFrames;

static int wrappedFileOffset(void) {
    return (int)((sizeof(FrameFile) + 7) & ~(size_t)7);
}

static sqlite3_file *wrappedFile(sqlite3_file *file) {
    return ((FrameFile *)file)->wrapped;
}

static int writeHeldHeader(FrameFile *file) {
    if (!file->holdsHeader) return SQLITE_OK;
    file->holdsHeader = 0;
    return file->wrapped->pMethods->xWrite(file->wrapped, file->header, frameHeaderSize, file->headerOffset);
}

// MARK: - File methods

static int frameWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    FrameFile *file = (FrameFile *)handle;
    sqlite3_file *inner = file->wrapped;
    if (file->holdsHeader) {
        int total = frameHeaderSize + amount;
        if (offset == file->headerOffset + frameHeaderSize && amount > 0) {
            if (total > file->joinedCapacity) {
                unsigned char *grown = realloc(file->joined, (size_t)total);
                if (grown) {
                    file->joined = grown;
                    file->joinedCapacity = total;
                }
            }
            if (total <= file->joinedCapacity) {
                memcpy(file->joined, file->header, frameHeaderSize);
                memcpy(file->joined + frameHeaderSize, data, (size_t)amount);
                file->holdsHeader = 0;
                atomic_fetch_add_explicit(&joinedFrames, 1, memory_order_relaxed);
                return inner->pMethods->xWrite(inner, file->joined, total, file->headerOffset);
            }
            // Out of memory for the joined copy: two writes, as SQLite would have made them.
        }
        int rc = writeHeldHeader(file);
        if (rc != SQLITE_OK) return rc;
    }
    if (file->isWAL && amount == frameHeaderSize && offset >= walHeaderSize) {
        memcpy(file->header, data, frameHeaderSize);
        file->headerOffset = offset;
        file->holdsHeader = 1;
        return SQLITE_OK;
    }
    return inner->pMethods->xWrite(inner, data, amount, offset);
}

static int frameClose(sqlite3_file *handle) {
    FrameFile *file = (FrameFile *)handle;
    int rc = writeHeldHeader(file);
    int closed = file->wrapped->pMethods->xClose(file->wrapped);
    free(file->joined);
    file->joined = NULL;
    file->joinedCapacity = 0;
    return rc != SQLITE_OK ? rc : closed;
}

// The calls below may observe the file: the held header is written first.
#define WRITE_HELD_HEADER_THEN(call)                                  \
    do {                                                              \
        int heldRC = writeHeldHeader((FrameFile *)handle);           \
        if (heldRC != SQLITE_OK) return heldRC;                       \
        sqlite3_file *inner = wrappedFile(handle);                    \
        return inner->pMethods->call;                                 \
    } while (0)

static int frameRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    WRITE_HELD_HEADER_THEN(xRead(inner, data, amount, offset));
}

static int frameTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    WRITE_HELD_HEADER_THEN(xTruncate(inner, size));
}

static int frameSync(sqlite3_file *handle, int flags) {
    WRITE_HELD_HEADER_THEN(xSync(inner, flags));
}

static int frameFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    WRITE_HELD_HEADER_THEN(xFileSize(inner, size));
}

static int frameLock(sqlite3_file *handle, int level) {
    WRITE_HELD_HEADER_THEN(xLock(inner, level));
}

static int frameUnlock(sqlite3_file *handle, int level) {
    WRITE_HELD_HEADER_THEN(xUnlock(inner, level));
}

static int frameCheckReservedLock(sqlite3_file *handle, int *reserved) {
    WRITE_HELD_HEADER_THEN(xCheckReservedLock(inner, reserved));
}

static int frameFileControl(sqlite3_file *handle, int op, void *argument) {
    WRITE_HELD_HEADER_THEN(xFileControl(inner, op, argument));
}

static int frameFetch(sqlite3_file *handle, sqlite3_int64 offset, int amount, void **pointer) {
    WRITE_HELD_HEADER_THEN(xFetch(inner, offset, amount, pointer));
}

// These concern the device or the shared-memory WAL index, not the file's bytes.

static int frameSectorSize(sqlite3_file *handle) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xSectorSize(inner);
}

static int frameDeviceCharacteristics(sqlite3_file *handle) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xDeviceCharacteristics(inner);
}

static int frameShmMap(sqlite3_file *handle, int region, int size, int extend, void volatile **pointer) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xShmMap(inner, region, size, extend, pointer);
}

static int frameShmLock(sqlite3_file *handle, int offset, int count, int flags) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xShmLock(inner, offset, count, flags);
}

static void frameShmBarrier(sqlite3_file *handle) {
    sqlite3_file *inner = wrappedFile(handle);
    inner->pMethods->xShmBarrier(inner);
}

static int frameShmUnmap(sqlite3_file *handle, int deleteFlag) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xShmUnmap(inner, deleteFlag);
}

static int frameUnfetch(sqlite3_file *handle, sqlite3_int64 offset, void *pointer) {
    sqlite3_file *inner = wrappedFile(handle);
    return inner->pMethods->xUnfetch(inner, offset, pointer);
}

// One table per method-set version: a file gets the version its wrapped file has, so SQLite never
// calls a method the wrapped layer lacks (version 2 added shared memory, 3 memory mapping).
#define FRAME_METHODS(version)                                                                              \
    {                                                                                                       \
        version, frameClose, frameRead, frameWrite, frameTruncate, frameSync, frameFileSize, frameLock,     \
            frameUnlock, frameCheckReservedLock, frameFileControl, frameSectorSize, frameDeviceCharacteristics, \
            frameShmMap, frameShmLock, frameShmBarrier, frameShmUnmap, frameFetch, frameUnfetch             \
    }

static const sqlite3_io_methods frameMethods[3] = {FRAME_METHODS(1), FRAME_METHODS(2), FRAME_METHODS(3)};

// MARK: - File system methods: open wraps, the rest pass on with the wrapped layer's own object

static int layerOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    FrameFile *file = (FrameFile *)handle;
    memset(file, 0, sizeof *file);
    file->wrapped = (sqlite3_file *)((char *)handle + wrappedFileOffset());
    int rc = wrappedVFS->xOpen(wrappedVFS, name, file->wrapped, flags, outFlags);
    const sqlite3_io_methods *inner = file->wrapped->pMethods;
    if (inner) {
        int version = inner->iVersion < 1 ? 1 : inner->iVersion > 3 ? 3 : inner->iVersion;
        file->base.pMethods = &frameMethods[version - 1];
        file->isWAL = (flags & SQLITE_OPEN_WAL) != 0;
    }
    return rc;
}

static int layerDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return wrappedVFS->xDelete(wrappedVFS, name, syncDirectory);
}

static int layerAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return wrappedVFS->xAccess(wrappedVFS, name, flags, result);
}

static int layerFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return wrappedVFS->xFullPathname(wrappedVFS, name, size, out);
}

static void *layerDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return wrappedVFS->xDlOpen(wrappedVFS, name);
}

static void layerDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    wrappedVFS->xDlError(wrappedVFS, size, message);
}

static void (*layerDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    (void)vfs;
    return wrappedVFS->xDlSym(wrappedVFS, library, symbol);
}

static void layerDlClose(sqlite3_vfs *vfs, void *library) {
    (void)vfs;
    wrappedVFS->xDlClose(wrappedVFS, library);
}

static int layerRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return wrappedVFS->xRandomness(wrappedVFS, size, out);
}

static int layerSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return wrappedVFS->xSleep(wrappedVFS, microseconds);
}

static int layerCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return wrappedVFS->xCurrentTime(wrappedVFS, now);
}

static int layerGetLastError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return wrappedVFS->xGetLastError(wrappedVFS, size, out);
}

static int layerCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return wrappedVFS->xCurrentTimeInt64(wrappedVFS, now);
}

static int layerSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return wrappedVFS->xSetSystemCall(wrappedVFS, name, call);
}

static sqlite3_syscall_ptr layerGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return wrappedVFS->xGetSystemCall(wrappedVFS, name);
}

static const char *layerNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return wrappedVFS->xNextSystemCall(wrappedVFS, name);
}

// MARK: - Installation

static pthread_mutex_t installLock = PTHREAD_MUTEX_INITIALIZER;
static int installed;
static int installResult;

int parley_wal_frame_writes_install(const char *wrapped) {
    pthread_mutex_lock(&installLock);
    if (!installed) {
        installed = 1;
        sqlite3_vfs *base = sqlite3_vfs_find(wrapped);
        if (!base) {
            installResult = SQLITE_ERROR;
        } else {
            wrappedVFS = base;
            // Same version as the wrapped layer: SQLite calls only the methods that version has,
            // and this layer passes each on.
            layer.iVersion = base->iVersion;
            layer.szOsFile = wrappedFileOffset() + base->szOsFile;
            layer.mxPathname = base->mxPathname;
            layer.zName = parley_wal_frame_writes_name;
            layer.xOpen = layerOpen;
            layer.xDelete = layerDelete;
            layer.xAccess = layerAccess;
            layer.xFullPathname = layerFullPathname;
            layer.xDlOpen = layerDlOpen;
            layer.xDlError = layerDlError;
            layer.xDlSym = layerDlSym;
            layer.xDlClose = layerDlClose;
            layer.xRandomness = layerRandomness;
            layer.xSleep = layerSleep;
            layer.xCurrentTime = layerCurrentTime;
            layer.xGetLastError = layerGetLastError;
            layer.xCurrentTimeInt64 = layerCurrentTimeInt64;
            layer.xSetSystemCall = layerSetSystemCall;
            layer.xGetSystemCall = layerGetSystemCall;
            layer.xNextSystemCall = layerNextSystemCall;
            installResult = sqlite3_vfs_register(&layer, 1);
        }
    }
    int result = installResult;
    pthread_mutex_unlock(&installLock);
    return result;
}

unsigned long long parley_wal_frame_writes_joined(void) {
    return atomic_load_explicit(&joinedFrames, memory_order_relaxed);
}
