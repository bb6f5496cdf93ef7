package io.sluice.gateway.settings;

import io.sluice.spi.SettingException;

/**
 * A {@code sluice.*} setting (or {@code SLUICE_*} environment variable) that no module declares and no loaded
 * route file uses: a typo Sluice refuses rather than ignores. The message suggests the known key it was likely
 * meant to be: {@code unknown setting sluice.limits.conections-per-ip (did you mean
 * sluice.limits.connections-per-ip?)}.
 */
public final class UnknownSettingException extends SettingException {
    private static final long serialVersionUID = 1L;

    UnknownSettingException(String name, String where, String suggestion) {
        super(
                name,
                "unknown setting " + name + (where == null ? "" : " in " + where)
                        + (suggestion == null
                                ? " (expected: a setting that the settings command lists, or a placeholder of a"
                                        + " route file)"
                                : " (did you mean " + suggestion + "?)"),
                (Throwable) null);
    }

    @Override
    public String problem() {
        return getMessage();
    }
}
