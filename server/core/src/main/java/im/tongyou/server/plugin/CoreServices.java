package im.tongyou.server.plugin;

import im.tongyou.api.Accounts;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.http.HttpRoutes;
import im.tongyou.api.sms.SmsGateway;
import im.tongyou.server.privacy.RetentionRegistry;
import im.tongyou.server.privacy.SubjectDataRegistry;
import im.tongyou.server.routing.CommandRegistry;
import im.tongyou.server.routing.DiscoRegistry;
import im.tongyou.server.routing.InterceptorChain;
import im.tongyou.server.routing.IqRoutes;
import im.tongyou.server.routing.Services;
import im.tongyou.server.routing.StanzaRouter;
import im.tongyou.server.routing.StreamFeatures;
import im.tongyou.server.routing.UnauthenticatedIqRoutes;
import im.tongyou.server.session.SessionEvents;
import im.tongyou.server.session.SessionRegistry;
import im.tongyou.server.storage.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

/**
 * The core services plugins reach through their {@link im.tongyou.api.PluginContext}.
 *
 * @param domain      the XMPP domain
 * @param configFile  the configuration file, named in error messages
 * @param clock       the server clock
 * @param workers     the worker pool for blocking work
 * @param scheduler   the timer that hands scheduled work to the workers
 * @param database    the database
 * @param accounts    the accounts
 * @param sessions    the bound sessions
 * @param events      session event listeners
 * @param router      the stanza router
 * @param iqRoutes    the IQ route table
 * @param messages    message interceptors
 * @param presences   presence interceptors
 * @param iqs         IQ interceptors
 * @param disco       service discovery features and identities
 * @param features    stream features added by plugins
 * @param unauthenticatedIqs handlers of IQs before authentication
 * @param subjectData the stores of personal data
 * @param crypto      encryption at rest
 * @param admins      the bare JIDs with administrator rights
 * @param services    the services on subdomains
 * @param http        the HTTPS endpoints
 * @param commands    the ad-hoc commands plugins offer
 * @param sms         the SMS gateway used when no plugin provides one
 * @param dataDir     the data directory
 * @param httpsUrl    the public HTTPS base URL once the listener is bound, or {@code null}
 * @param audit       the audit trail
 * @param retention   the declared retention of every category of personal data
 */
public record CoreServices(String domain, Path configFile, Clock clock, ExecutorService workers,
                           ScheduledExecutorService scheduler, Database database, Accounts accounts,
                           SessionRegistry sessions, SessionEvents events, StanzaRouter router, IqRoutes iqRoutes,
                           InterceptorChain<Message> messages, InterceptorChain<Presence> presences,
                           InterceptorChain<IQ> iqs, DiscoRegistry disco, StreamFeatures features,
                           UnauthenticatedIqRoutes unauthenticatedIqs, SubjectDataRegistry subjectData,
                           Crypto crypto, Set<String> admins, Services services, HttpRoutes http,
                           CommandRegistry commands, SmsGateway sms, Path dataDir, Supplier<String> httpsUrl,
                           AuditLog audit, RetentionRegistry retention) {
}
