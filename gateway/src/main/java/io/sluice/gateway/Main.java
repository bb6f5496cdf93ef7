package io.sluice.gateway;

import io.sluice.gateway.cli.SluiceCommand;
import java.io.PrintWriter;

/**
 * {@code java -jar sluice-gateway.jar [run|routes|check|settings] [-Dsluice.key=value ...]}: see
 * {@link SluiceCommand}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(SluiceCommand.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
