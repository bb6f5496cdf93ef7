package io.sluice.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayProcess;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar carries the native libraries of one platform ({@code -Dsluice.platform}), stays within its size
 * budget, and another platform's jar is one Maven property away.
 */
class PackagingIT {
    /** The linux-x86_64 jar's budget, the Redis connector (Lettuce, Netty, Reactor) included. */
    private static final long BUDGET_BYTES = 60L * 1024 * 1024;

    /** Each platform's natives, as they are named inside the jar. */
    private static final Map<String, Set<String>> NATIVES = Map.of(
            "linux-x86_64",
            Set.of(
                    "librocksdbjni-linux64.so",
                    "linux/amd64/libzstd-jni-*.so",
                    "org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so",
                    "net/jpountz/util/linux/amd64/liblz4-java.so"),
            "osx-aarch_64",
            Set.of(
                    "librocksdbjni-osx-arm64.jnilib",
                    "darwin/aarch64/libzstd-jni-*.dylib",
                    "org/xerial/snappy/native/Mac/aarch64/libsnappyjava.dylib",
                    "net/jpountz/util/darwin/aarch64/liblz4-java.dylib"),
            "linux-aarch_64",
            Set.of(
                    "librocksdbjni-linux-aarch64.so",
                    "linux/aarch64/libzstd-jni-*.so",
                    "org/xerial/snappy/native/Linux/aarch64/libsnappyjava.so",
                    "net/jpountz/util/linux/aarch64/liblz4-java.so"));

    @TempDir
    Path otherPlatform;

    private static String platform() {
        return System.getProperty("sluice.platform", "linux-x86_64");
    }

    /** Every native library in a jar, version numbers replaced by {@code *}. */
    private static Set<String> natives(Path jar) throws IOException {
        Set<String> natives = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.matches(".*\\.(so|dylib|dll|jnilib|a)$"))
                    .map(name -> name.replaceAll("zstd-jni-[0-9.\\-]+\\.", "zstd-jni-*."))
                    .forEach(natives::add);
        }
        return natives;
    }

    @Test
    void theJarCarriesOnlyItsOwnPlatformsNativesAndFitsTheBudget() throws Exception {
        Path jar = GatewayProcess.jar();
        assertThat(natives(jar)).isEqualTo(NATIVES.get(platform()));
        if (platform().equals("linux-x86_64")) {
            System.out.printf("sluice-gateway.jar (linux-x86_64): %,d bytes%n", Files.size(jar));
            assertThat(Files.size(jar)).isLessThanOrEqualTo(BUDGET_BYTES);
        }
    }

    @Test
    void packagesAnotherPlatformsJarWithThatPlatformsNatives() throws Exception {
        String other = platform().equals("osx-aarch_64") ? "linux-aarch_64" : "osx-aarch_64";
        Path root = GatewayProcess.jar().getParent().getParent().getParent();
        Path mavenHome = Path.of(System.getProperty("maven.home", "/usr/share/maven"));
        Path mvn = mavenHome.resolve("bin").resolve("mvn");
        List<String> command = new ArrayList<>(List.of(
                Files.isExecutable(mvn) ? mvn.toString() : "mvn",
                "-B",
                "-q",
                // Offline: this build already resolved every artifact and plugin packaging takes.
                "-o",
                "-f",
                root.resolve("pom.xml").toString(),
                "-pl",
                "gateway",
                "-am",
                "package",
                "-DskipTests",
                "-Dspotless.check.skip",
                "-Dsluice.platform=" + other,
                "-Dsluice.jar.directory=" + otherPlatform));
        Path log = otherPlatform.resolve("build.log");
        Process build = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(build.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue())
                .as(() -> {
                    try {
                        return Files.readString(log, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return e.toString();
                    }
                })
                .isZero();

        Path jar = otherPlatform.resolve("sluice-gateway.jar");
        assertThat(natives(jar)).isEqualTo(NATIVES.get(other));
    }

    @Test
    void unknownPlatformIsRefusedWithTheExpectedNames() throws Exception {
        Path root = GatewayProcess.jar().getParent().getParent().getParent();
        Path mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn");
        List<String> command = new ArrayList<>(List.of(
                Files.isExecutable(mvn) ? mvn.toString() : "mvn",
                "-B",
                "-o",
                "-f",
                root.resolve("gateway/pom.xml").toString(),
                "validate",
                "-Dsluice.platform=amiga-m68k"));
        Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).isNotZero();
        assertThat(output).contains("sluice.platform: 'amiga-m68k' (expected: linux-x86_64, linux-aarch_64");
    }

    /** jnats signs NATS credentials logins with BouncyCastle's Ed25519, the one part of it the jar keeps. */
    @Test
    void natsNKeysSignAndVerifyWithTheTrimmedBouncyCastle() throws Exception {
        try (URLClassLoader jar = new URLClassLoader(
                new URL[] {GatewayProcess.jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> nkey = Class.forName("io.nats.client.NKey", true, jar);
            Object user = nkey.getMethod("createUser", java.security.SecureRandom.class)
                    .invoke(null, new java.security.SecureRandom());
            byte[] input = "challenge".getBytes(StandardCharsets.US_ASCII);
            Method sign = nkey.getMethod("sign", byte[].class);
            byte[] signature = (byte[]) sign.invoke(user, (Object) input);
            Method verify = nkey.getMethod("verify", byte[].class, byte[].class);
            assertThat(signature).hasSize(64);
            assertThat((Boolean) verify.invoke(user, input, signature)).isTrue();
            assertThat((Boolean) verify.invoke(user, "other".getBytes(StandardCharsets.US_ASCII), signature))
                    .isFalse();
        }
    }
}
