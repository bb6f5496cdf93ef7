package io.sluice.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version and the git commit the jar was built from, which the build writes into
 * {@code io/sluice/gateway/build.properties}; "unknown" for a build outside a git clone.
 */
public final class BuildInfo implements IVersionProvider {
    private static final String RESOURCE = "/io/sluice/gateway/build.properties";

    private final Properties properties = new Properties();

    public BuildInfo() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
    }

    /** The project version, {@code 0.1.0-SNAPSHOT}. */
    public String version() {
        return properties.getProperty("git.build.version", "unknown");
    }

    /** The full commit id. */
    public String commit() {
        return properties.getProperty("git.commit.id.full", "unknown");
    }

    /** When the commit was made, ISO 8601, or "unknown". */
    public String commitTime() {
        return properties.getProperty("git.commit.time", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "sluice " + version(),
            "commit " + commit() + " (" + commitTime() + ")",
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
        };
    }
}
