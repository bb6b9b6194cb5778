package im.tongyou.server.feature.muc;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The options of the chat room service under {@code plugins.muc}, with their defaults.
 *
 * @param subdomain                      the service's label: rooms live at {@code room@<subdomain>.<domain>}
 * @param name                           the service's name in service discovery
 * @param createRooms                    who may create rooms: {@code everyone} (every local user) or
 *                                       {@code admins} (the server's administrators only)
 * @param maxRoomsPerUser                rooms one user may own (server administrators are not limited)
 * @param maxOccupants                   the most occupants a room can ever hold, whatever its configuration
 * @param maxHistory                     messages a room keeps in memory for newcomers (its configured
 *                                       history length cannot exceed this)
 * @param maxNicknameLength              the longest room nickname, in characters
 * @param maxRoomIdLength                the longest room address local part, in characters
 * @param roomIdPattern                  a regular expression new room ids must match (empty: any valid id)
 * @param publicOccupantLists            whether a public, open, unsecured room lists its occupants' nicknames
 *                                       to non-occupants in disco#items (XEP-0045 §6.5)
 * @param unconfiguredRoomTimeoutSeconds how long a new room may stay locked awaiting its configuration
 *                                       before it is destroyed (XEP-0045 §10.1.1 and §17.4)
 * @param roomDefaults                   the configuration of new rooms (bounded by max-occupants and max-history)
 */
public record MucOptions(String subdomain, String name, String createRooms, Integer maxRoomsPerUser,
                         Integer maxOccupants, Integer maxHistory, Integer maxNicknameLength,
                         Integer maxRoomIdLength, String roomIdPattern, Boolean publicOccupantLists,
                         Integer unconfiguredRoomTimeoutSeconds, RoomDefaults roomDefaults) {

    static final List<String> ALLOW_PM = List.of("anyone", "participants", "moderators", "none");

    public MucOptions {
        subdomain = subdomain == null ? "conference" : subdomain;
        name = name == null ? "Chatrooms" : name;
        createRooms = createRooms == null ? "everyone" : createRooms;
        maxRoomsPerUser = positive(maxRoomsPerUser, 100, "max-rooms-per-user");
        maxOccupants = positive(maxOccupants, 500, "max-occupants");
        maxHistory = maxHistory == null ? 50 : maxHistory;
        maxNicknameLength = positive(maxNicknameLength, 64, "max-nickname-length");
        maxRoomIdLength = positive(maxRoomIdLength, 256, "max-room-id-length");
        roomIdPattern = roomIdPattern == null ? "" : roomIdPattern;
        publicOccupantLists = publicOccupantLists == null || publicOccupantLists;
        unconfiguredRoomTimeoutSeconds = positive(unconfiguredRoomTimeoutSeconds, 600,
                "unconfigured-room-timeout-seconds");
        roomDefaults = roomDefaults == null ? new RoomDefaults(null, null, null, null, null, null, null, null, null, null)
                : roomDefaults;
        if (!createRooms.equals("everyone") && !createRooms.equals("admins")) {
            throw new IllegalArgumentException("create-rooms must be 'everyone' or 'admins'");
        }
        if (maxHistory < 0 || maxHistory > 1000) {
            throw new IllegalArgumentException("max-history must be between 0 and 1000");
        }
        Pattern.compile(roomIdPattern);
        if (roomDefaults.maxUsers() > maxOccupants || roomDefaults.history() > maxHistory) {
            // The service's limits bound the defaults (a lower max-occupants alone must not fail the start).
            RoomDefaults d = roomDefaults;
            roomDefaults = new RoomDefaults(d.persistent(), d.publicRoom(), d.membersOnly(), d.moderated(), d.whois(),
                    Math.min(d.maxUsers(), maxOccupants), d.changeSubject(), d.allowInvites(), d.allowPm(),
                    Math.min(d.history(), maxHistory));
        }
    }

    /** Whether only server administrators may create rooms. */
    boolean adminsOnlyCreate() {
        return createRooms.equals("admins");
    }

    private static int positive(Integer value, int fallback, String key) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
        return v;
    }

    /**
     * The configuration a new room starts with (XEP-0045 §10.1.1), each a muc#roomconfig field.
     *
     * @param persistent   muc#roomconfig_persistentroom
     * @param publicRoom   muc#roomconfig_publicroom: listed in the service's disco#items
     * @param membersOnly  muc#roomconfig_membersonly
     * @param moderated    muc#roomconfig_moderatedroom
     * @param whois        muc#roomconfig_whois: {@code moderators} (semi-anonymous) or {@code anyone}
     * @param maxUsers     muc#roomconfig_maxusers
     * @param changeSubject muc#roomconfig_changesubject: participants may change the subject
     * @param allowInvites muc#roomconfig_allowinvites: members may invite to a members-only room
     * @param allowPm      muc#roomconfig_allowpm: {@code anyone}, {@code participants}, {@code moderators}, {@code none}
     * @param history      muc#maxhistoryfetch: messages sent to newcomers
     */
    public record RoomDefaults(Boolean persistent, Boolean publicRoom, Boolean membersOnly, Boolean moderated,
                               String whois, Integer maxUsers, Boolean changeSubject, Boolean allowInvites,
                               String allowPm, Integer history) {
        public RoomDefaults {
            persistent = persistent != null && persistent;
            publicRoom = publicRoom == null || publicRoom;
            membersOnly = membersOnly != null && membersOnly;
            moderated = moderated != null && moderated;
            whois = whois == null ? "moderators" : whois;
            maxUsers = positive(maxUsers, 100, "room-defaults.max-users");
            changeSubject = changeSubject != null && changeSubject;
            allowInvites = allowInvites != null && allowInvites;
            allowPm = allowPm == null ? "anyone" : allowPm;
            history = history == null ? 20 : history;
            if (!whois.equals("moderators") && !whois.equals("anyone")) {
                throw new IllegalArgumentException("room-defaults.whois must be 'moderators' or 'anyone'");
            }
            if (!ALLOW_PM.contains(allowPm)) {
                throw new IllegalArgumentException("room-defaults.allow-pm must be one of " + ALLOW_PM);
            }
            if (history < 0) {
                throw new IllegalArgumentException("room-defaults.history cannot be negative");
            }
        }
    }
}
