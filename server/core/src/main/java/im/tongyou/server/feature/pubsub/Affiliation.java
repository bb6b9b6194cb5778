package im.tongyou.server.feature.pubsub;

/** The affiliations of XEP-0060 §4.1, with what each may do (Table 4 "Affiliations and their privileges"). */
enum Affiliation {
    OWNER("owner"), PUBLISHER("publisher"), PUBLISH_ONLY("publish-only"), MEMBER("member"), NONE("none"),
    OUTCAST("outcast");

    private final String value;

    Affiliation(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    static Affiliation parse(String value) {
        for (Affiliation a : values()) {
            if (a.value.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no affiliation " + value);
    }

    /** Publish and delete own items (owner, publisher, publish-only). */
    boolean mayPublish() {
        return this == OWNER || this == PUBLISHER || this == PUBLISH_ONLY;
    }
}
