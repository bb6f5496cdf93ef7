package io.sluice.spi;

import java.nio.file.Path;
import java.util.List;

/** Settings that more than one module reads, declared here once. */
public final class CommonSettings {
    /** Where the embedded backends keep their files; the gateway names it when it starts. */
    public static final Setting<Path> DATA_DIR =
            Setting.path("sluice.data-dir", "./data", "where the embedded backends keep their files");

    /** The message queue behind sluice:deliver, chosen by its provider's type. */
    public static final Setting<String> QUEUE_TYPE =
            Setting.string("sluice.queue.type", "embedded", "the message queue behind sluice:deliver");

    private CommonSettings() {}

    /** Declares the common settings, as module {@code common}. */
    public static final class Definitions implements SettingDefinitions {
        @Override
        public String module() {
            return "common";
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(DATA_DIR, QUEUE_TYPE);
        }
    }
}
