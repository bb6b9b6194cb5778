package im.tongyou.server.storage;

/** The database failed or refused an operation; the message names what and why. */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
