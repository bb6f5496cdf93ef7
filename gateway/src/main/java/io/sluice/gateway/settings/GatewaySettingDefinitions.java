package io.sluice.gateway.settings;

import io.sluice.gateway.GatewaySettings;
import io.sluice.gateway.admin.AdminSettings;
import io.sluice.gateway.limits.LimitsSettings;
import io.sluice.gateway.logging.LogSettings;
import io.sluice.gateway.server.FrontSettings;
import io.sluice.gateway.tls.ServerTls;
import io.sluice.gateway.tls.TlsSettings;
import io.sluice.gateway.tracing.Tracing;
import io.sluice.spi.MessageQueueProvider;
import io.sluice.spi.Setting;
import io.sluice.spi.SettingDefinitions;
import io.sluice.spi.SettingException;
import io.sluice.spi.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The gateway's settings: those of each of its settings records, in the README's order. */
public final class GatewaySettingDefinitions implements SettingDefinitions {

    @Override
    public String module() {
        return "gateway";
    }

    @Override
    public List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(GatewaySettings.SETTINGS);
        all.addAll(FrontSettings.SETTINGS);
        all.addAll(AdminSettings.SETTINGS);
        all.addAll(LimitsSettings.SETTINGS);
        all.addAll(TlsSettings.SETTINGS);
        all.addAll(LogSettings.SETTINGS);
        all.addAll(Tracing.SETTINGS);
        return all;
    }

    /**
     * Builds every record as start-up does, checks that a queue of {@code sluice.queue.type} is installed, and reads
     * the TLS key material when TLS is on.
     */
    @Override
    public void check(Settings settings) {
        GatewaySettings gateway = GatewaySettings.from(settings);
        List<String> types = ServiceLoader.load(MessageQueueProvider.class).stream()
                .map(p -> p.get().type())
                .toList();
        if (!types.contains(gateway.queueType())) {
            throw new SettingException(GatewaySettings.QUEUE_TYPE.key(), gateway.queueType(), "one of " + types);
        }
        AdminSettings.from(settings);
        LimitsSettings.from(settings, gateway.protocol().lowThreshold());
        LogSettings.from(settings);
        FrontSettings front = FrontSettings.from(settings);
        if (front.tls().enabled()) {
            ServerTls.factory(front.tls());
        }
    }
}
