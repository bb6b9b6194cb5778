package im.tongyou.api.roster;

/** The subscription state of a roster item (RFC 6121 §2.1.2.5). */
public enum Subscription {
    /** Neither is subscribed to the other's presence. */
    NONE,
    /** The user is subscribed to the contact's presence. */
    TO,
    /** The contact is subscribed to the user's presence. */
    FROM,
    /** Both are subscribed to each other's presence. */
    BOTH;

    /** Whether the contact receives the user's presence. */
    public boolean contactSeesUser() {
        return this == FROM || this == BOTH;
    }

    /** Whether the user receives the contact's presence. */
    public boolean userSeesContact() {
        return this == TO || this == BOTH;
    }

    /** The value of the {@code subscription} attribute. */
    public String xmlValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
