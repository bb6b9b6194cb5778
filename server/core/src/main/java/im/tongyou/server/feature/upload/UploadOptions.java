package im.tongyou.server.feature.upload;

/**
 * Options of the upload service.
 *
 * @param subdomain        the service's subdomain ({@code upload} for {@code upload.<domain>})
 * @param publicUrl        the base URL clients reach the HTTPS listener at, for example
 *                         {@code https://chat.example.org} behind a proxy; empty: {@code https://<domain>:<port>}
 * @param maxFileBytes     the largest file
 * @param quotaBytes       the most one user may keep stored
 * @param slotSeconds      how long an upload slot may wait for its PUT
 * @param retentionDays    how long files are kept (chat media follow the archive's default)
 */
public record UploadOptions(String subdomain, String publicUrl, Long maxFileBytes, Long quotaBytes,
                            Integer slotSeconds, Integer retentionDays) {

    public UploadOptions {
        subdomain = subdomain == null ? "upload" : subdomain;
        publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        maxFileBytes = maxFileBytes == null ? 20L * 1024 * 1024 : maxFileBytes;
        quotaBytes = quotaBytes == null ? 1024L * 1024 * 1024 : quotaBytes;
        slotSeconds = slotSeconds == null ? 300 : slotSeconds;
        retentionDays = retentionDays == null ? 180 : retentionDays;
        if (maxFileBytes < 1 || maxFileBytes > 100L * 1024 * 1024) {
            throw new IllegalArgumentException("max-file-bytes must be between 1 and 104857600");
        }
        if (quotaBytes < maxFileBytes) {
            throw new IllegalArgumentException("quota-bytes must be at least max-file-bytes");
        }
        if (slotSeconds < 10 || retentionDays < 1) {
            throw new IllegalArgumentException("slot-seconds must be at least 10 and retention-days at least 1");
        }
    }
}
