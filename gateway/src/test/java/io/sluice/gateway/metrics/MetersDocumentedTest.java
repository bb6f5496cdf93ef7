package io.sluice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.limits.Limit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Running in production" names every meter, tag and limit setting the code defines. */
class MetersDocumentedTest {

    private static String readme() throws Exception {
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("README.md");
        }
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        return text.substring(text.indexOf("## Running in production"));
    }

    @Test
    void everyMeterIsInTheReadme() throws Exception {
        String readme = readme();
        List<Meters.Documented> all = new ArrayList<>(Meters.SLUICE);
        all.addAll(Meters.ROUTES);
        all.addAll(Meters.TLS);
        all.addAll(Meters.BOUND);
        assertThat(all).allSatisfy(meter -> assertThat(readme).contains("`" + meter.name() + "`"));
    }

    @Test
    void everyTagIsInTheReadme() throws Exception {
        String readme = readme();
        for (String tag : List.of(Meters.STATE, Meters.TYPE, Meters.RESULT, Meters.LIMIT, Meters.ROUTE)) {
            assertThat(readme).contains("`" + tag + "`");
        }
    }

    @Test
    void everyLimitIsInTheReadmeWithItsSettingAndTag() throws Exception {
        String readme = readme();
        for (Limit limit : Limit.values()) {
            assertThat(readme).contains("`" + limit.setting() + "`").contains("`" + limit.tag() + "`");
        }
    }
}
