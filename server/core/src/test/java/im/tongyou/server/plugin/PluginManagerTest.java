package im.tongyou.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plugins start after the providers of what they require; cycles and missing providers are refused. */
class PluginManagerTest {

    interface ApiA {
    }

    interface ApiB {
    }

    record TestPlugin(String id, Set<Class<?>> requires, Set<Class<?>> provides) implements Plugin {
        @Override
        public void start(PluginContext ctx) {
        }
    }

    @Test
    void dependenciesStartFirst() {
        Plugin c = new TestPlugin("a-consumer", Set.of(ApiB.class), Set.of());
        Plugin b = new TestPlugin("b-middle", Set.of(ApiA.class), Set.of(ApiB.class));
        Plugin a = new TestPlugin("z-base", Set.of(), Set.of(ApiA.class));
        Plugin free = new TestPlugin("m-free", Set.of(), Set.of());

        List<Plugin> order = PluginManager.order(List.of(c, free, b, a));

        assertThat(order).extracting(Plugin::id).containsExactly("z-base", "b-middle", "a-consumer", "m-free");
    }

    @Test
    void aMissingProviderIsNamed() {
        Plugin c = new TestPlugin("consumer", Set.of(ApiA.class), Set.of());

        assertThatThrownBy(() -> PluginManager.order(List.of(c)))
                .hasMessageContaining("plugin 'consumer' requires")
                .hasMessageContaining("ApiA");
    }

    @Test
    void aCycleIsNamed() {
        Plugin a = new TestPlugin("a", Set.of(ApiB.class), Set.of(ApiA.class));
        Plugin b = new TestPlugin("b", Set.of(ApiA.class), Set.of(ApiB.class));

        assertThatThrownBy(() -> PluginManager.order(List.of(a, b))).hasMessageContaining("cycle");
    }

    @Test
    void twoProvidersOfOneApiAreRefused() {
        Plugin a = new TestPlugin("a", Set.of(), Set.of(ApiA.class));
        Plugin b = new TestPlugin("b", Set.of(), Set.of(ApiA.class));

        assertThatThrownBy(() -> PluginManager.order(List.of(a, b))).hasMessageContaining("both provide");
    }
}
