package dev.millrace.api.platform;

/** An error of the platform (Dango) family, answered as {@code {"detail": message}}. */
public final class PlatformApiException extends RuntimeException {
    private final int status;

    public PlatformApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static PlatformApiException badRequest(String detail) {
        return new PlatformApiException(400, detail);
    }

    public static PlatformApiException notFound(String detail) {
        return new PlatformApiException(404, detail);
    }

    public static PlatformApiException conflict(String detail) {
        return new PlatformApiException(409, detail);
    }
}
