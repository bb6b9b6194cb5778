package im.tongyou.server.feature.roster;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.roster.Subscription;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Kind;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of RFC 6121 Appendix A.2 (user-generated stanzas: "ROUTE?") and A.3 (contact-generated
 * stanzas: "DELIVER?"), copied from the RFC's tables, plus the pre-approval rules of §3.4.
 */
class SubscriptionStateMachineTest {

    static final SubscriptionState NONE = s(Subscription.NONE, false, false);
    static final SubscriptionState NONE_OUT = s(Subscription.NONE, true, false);
    static final SubscriptionState NONE_IN = s(Subscription.NONE, false, true);
    static final SubscriptionState NONE_OUT_IN = s(Subscription.NONE, true, true);
    static final SubscriptionState TO = s(Subscription.TO, false, false);
    static final SubscriptionState TO_IN = s(Subscription.TO, false, true);
    static final SubscriptionState FROM = s(Subscription.FROM, false, false);
    static final SubscriptionState FROM_OUT = s(Subscription.FROM, true, false);
    static final SubscriptionState BOTH = s(Subscription.BOTH, false, false);

    /** The nine states, in the order of the RFC's tables. */
    static final List<SubscriptionState> STATES =
            List.of(NONE, NONE_OUT, NONE_IN, NONE_OUT_IN, TO, TO_IN, FROM, FROM_OUT, BOTH);

    static SubscriptionState s(Subscription sub, boolean out, boolean in) {
        return new SubscriptionState(sub, out, in, false);
    }

    /** A row: existing state -> (forward?, new state; null = "no state change"). */
    record Row(SubscriptionState existing, boolean forward, SubscriptionState next) {
    }

    static Row row(SubscriptionState existing, boolean forward, SubscriptionState next) {
        return new Row(existing, forward, next);
    }

    /** Appendix A.2.1 to A.2.4, "Server Processing of Outbound Presence Subscription Stanzas". */
    static final Map<Kind, List<Row>> OUTBOUND = Map.of(
            Kind.SUBSCRIBE, List.of(                   // A.2.1
                    row(NONE, true, NONE_OUT),
                    row(NONE_OUT, true, null),
                    row(NONE_IN, true, NONE_OUT_IN),
                    row(NONE_OUT_IN, true, null),
                    row(TO, true, null),
                    row(TO_IN, true, null),
                    row(FROM, true, FROM_OUT),
                    row(FROM_OUT, true, null),
                    row(BOTH, true, null)),
            Kind.UNSUBSCRIBE, List.of(                 // A.2.2
                    row(NONE, true, null),
                    row(NONE_OUT, true, NONE),
                    row(NONE_IN, true, null),
                    row(NONE_OUT_IN, true, NONE_IN),
                    row(TO, true, NONE),
                    row(TO_IN, true, NONE_IN),
                    row(FROM, true, null),
                    row(FROM_OUT, true, FROM),
                    row(BOTH, true, FROM)),
            Kind.SUBSCRIBED, List.of(                  // A.2.3 (rows "no" with no request: pre-approval, tested below)
                    row(NONE, false, null),
                    row(NONE_OUT, false, null),
                    row(NONE_IN, true, FROM),
                    row(NONE_OUT_IN, true, FROM_OUT),
                    row(TO, false, null),
                    row(TO_IN, true, BOTH),
                    row(FROM, false, null),
                    row(FROM_OUT, false, null),
                    row(BOTH, false, null)),
            Kind.UNSUBSCRIBED, List.of(                // A.2.4
                    row(NONE, false, null),
                    row(NONE_OUT, false, null),
                    row(NONE_IN, true, NONE),
                    row(NONE_OUT_IN, true, NONE_OUT),
                    row(TO, false, null),
                    row(TO_IN, true, TO),
                    row(FROM, true, NONE),
                    row(FROM_OUT, true, NONE_OUT),
                    row(BOTH, true, TO)));

    /** Appendix A.3.1 to A.3.4, "Server Processing of Inbound Presence Subscription Stanzas". */
    static final Map<Kind, List<Row>> INBOUND = Map.of(
            Kind.SUBSCRIBE, List.of(                   // A.3.1
                    row(NONE, true, NONE_IN),
                    row(NONE_OUT, true, NONE_OUT_IN),
                    row(NONE_IN, false, null),
                    row(NONE_OUT_IN, false, null),
                    row(TO, true, TO_IN),
                    row(TO_IN, false, null),
                    row(FROM, false, null),
                    row(FROM_OUT, false, null),
                    row(BOTH, false, null)),
            Kind.UNSUBSCRIBE, List.of(                 // A.3.2
                    row(NONE, false, null),
                    row(NONE_OUT, false, null),
                    row(NONE_IN, true, NONE),
                    row(NONE_OUT_IN, true, NONE_OUT),
                    row(TO, false, null),
                    row(TO_IN, true, TO),
                    row(FROM, true, NONE),
                    row(FROM_OUT, true, NONE_OUT),
                    row(BOTH, true, TO)),
            Kind.SUBSCRIBED, List.of(                  // A.3.3
                    row(NONE, false, null),
                    row(NONE_OUT, true, TO),
                    row(NONE_IN, false, null),
                    row(NONE_OUT_IN, true, TO_IN),
                    row(TO, false, null),
                    row(TO_IN, false, null),
                    row(FROM, false, null),
                    row(FROM_OUT, true, BOTH),
                    row(BOTH, false, null)),
            Kind.UNSUBSCRIBED, List.of(                // A.3.4
                    row(NONE, false, null),
                    row(NONE_OUT, true, NONE),
                    row(NONE_IN, false, null),
                    row(NONE_OUT_IN, true, NONE_IN),
                    row(TO, true, NONE),
                    row(TO_IN, true, NONE_IN),
                    row(FROM, false, null),
                    row(FROM_OUT, true, FROM),
                    row(BOTH, true, FROM)));

    static Stream<Arguments> outboundRows() {
        return rows(OUTBOUND, "A.2");
    }

    static Stream<Arguments> inboundRows() {
        return rows(INBOUND, "A.3");
    }

    static Stream<Arguments> rows(Map<Kind, List<Row>> table, String section) {
        List<Arguments> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Row> rows = table.get(kind);
            assertThat(rows).extracting(Row::existing).containsExactlyElementsOf(STATES);
            for (Row r : rows) {
                all.add(Arguments.of(section + " " + kind + " in \"" + r.existing() + "\"", kind, r));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outboundRows")
    void userGeneratedStanzasFollowAppendixA2(String name, Kind kind, Row row) {
        Outcome outcome = SubscriptionStateMachine.outbound(row.existing(), kind);

        assertThat(outcome.forward()).as("ROUTE?").isEqualTo(row.forward());
        assertThat(withoutApproval(outcome.next())).as("NEW STATE")
                .isEqualTo(row.next() == null ? row.existing() : row.next());
        assertThat(outcome.autoApprove()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inboundRows")
    void contactGeneratedStanzasFollowAppendixA3(String name, Kind kind, Row row) {
        Outcome outcome = SubscriptionStateMachine.inbound(row.existing(), kind);

        assertThat(outcome.forward()).as("DELIVER?").isEqualTo(row.forward());
        assertThat(outcome.next()).as("NEW STATE").isEqualTo(row.next() == null ? row.existing() : row.next());
        // A.3.1 rows "no *": "the server SHOULD auto-reply with subscribed" when the contact is already subscribed.
        assertThat(outcome.autoApprove()).isEqualTo(kind == Kind.SUBSCRIBE && row.existing().from());
    }

    @Test
    void tablesHaveEveryRow() {
        assertThat(outboundRows().count() + inboundRows().count()).isEqualTo(72);
    }

    static SubscriptionState withoutApproval(SubscriptionState s) {
        return new SubscriptionState(s.subscription(), s.pendingOut(), s.pendingIn(), false);
    }

    @Test
    void subscribedWithoutAPendingRequestIsAPreApproval() {
        for (SubscriptionState state : List.of(NONE, NONE_OUT, TO)) {
            Outcome outcome = SubscriptionStateMachine.outbound(state, Kind.SUBSCRIBED);
            assertThat(outcome.forward()).as(state.toString()).isFalse();
            assertThat(outcome.next().approved()).as(state.toString()).isTrue();
        }
        for (SubscriptionState state : List.of(FROM, FROM_OUT, BOTH)) {
            assertThat(SubscriptionStateMachine.outbound(state, Kind.SUBSCRIBED).next().approved())
                    .as("the contact is already subscribed: nothing to pre-approve in " + state).isFalse();
        }
    }

    @Test
    void aPreApprovedRequestIsApprovedOnTheUsersBehalfAndNotDelivered() {
        assertPreApproved(NONE, FROM);
        assertPreApproved(NONE_OUT, FROM_OUT);
        assertPreApproved(TO, BOTH);
    }

    static void assertPreApproved(SubscriptionState before, SubscriptionState after) {
        SubscriptionState approved = SubscriptionStateMachine.outbound(before, Kind.SUBSCRIBED).next();
        Outcome outcome = SubscriptionStateMachine.inbound(approved, Kind.SUBSCRIBE);
        assertThat(outcome.forward()).isFalse();
        assertThat(outcome.autoApprove()).isTrue();
        assertThat(outcome.next()).isEqualTo(after);
    }

    @Test
    void unsubscribedCancelsAPreApproval() {
        SubscriptionState approved = SubscriptionStateMachine.outbound(TO, Kind.SUBSCRIBED).next();
        Outcome cancelled = SubscriptionStateMachine.outbound(approved, Kind.UNSUBSCRIBED);

        assertThat(cancelled.forward()).isFalse();
        assertThat(cancelled.next()).isEqualTo(TO);
        assertThat(SubscriptionStateMachine.inbound(cancelled.next(), Kind.SUBSCRIBE).next()).isEqualTo(TO_IN);
    }

    @Test
    void aPreApprovalSurvivesOtherTraffic() {
        SubscriptionState approved = SubscriptionStateMachine.outbound(NONE, Kind.SUBSCRIBED).next();

        assertThat(SubscriptionStateMachine.outbound(approved, Kind.SUBSCRIBE).next().approved()).isTrue();
        assertThat(SubscriptionStateMachine.inbound(approved, Kind.UNSUBSCRIBE).next().approved()).isTrue();
    }

    @Test
    void statesKeepToTheRulesOfAppendixA1() {
        assertThat(new SubscriptionState(Subscription.BOTH, true, true, true)).isEqualTo(BOTH);
        assertThat(new SubscriptionState(Subscription.TO, true, false, false)).isEqualTo(TO);
        assertThat(new SubscriptionState(Subscription.FROM, false, true, true)).isEqualTo(FROM);
        assertThat(NONE_OUT_IN.toString()).isEqualTo("None + Pending Out+In");
    }
}
