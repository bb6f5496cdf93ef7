package io.sluice.connector.rest;

import io.sluice.spi.PreKeyBundle;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A key store's answer to a claim, as the list of bundles the {@code sluice:requestPreKeys} route replies with.
 * It is a {@code List<PreKeyBundle>} (immutable); being a type of its own lets a route name the conversion,
 * {@code convertBodyTo: io.sluice.connector.rest.PreKeyBundleList}, without making every JSON-to-List conversion
 * in the context parse prekeys.
 */
public final class PreKeyBundleList extends AbstractList<PreKeyBundle> implements RandomAccess {
    private final List<PreKeyBundle> bundles;

    PreKeyBundleList(List<PreKeyBundle> bundles) {
        this.bundles = List.copyOf(bundles);
    }

    @Override
    public PreKeyBundle get(int index) {
        return bundles.get(index);
    }

    @Override
    public int size() {
        return bundles.size();
    }
}
