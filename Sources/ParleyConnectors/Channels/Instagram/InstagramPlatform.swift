extension MessengerPlatform {
    /// Instagram Direct on the Messenger Platform: webhook object `instagram`; images, audio and
    /// video are sent as attachments, other files as links (Instagram takes no documents).
    static let instagram = MessengerPlatform(
        type: "instagram", name: "Instagram", webhookObject: "instagram", accountSetting: "businessId", sendsFiles: false)
}
