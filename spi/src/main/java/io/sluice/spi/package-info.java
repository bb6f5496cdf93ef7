/**
 * The contract between the Sluice gateway, its routes and its connectors.
 *
 * <p>Routes see these types as exchange bodies and {@link io.sluice.spi.SluiceHeaders} as header names;
 * connectors implement {@link io.sluice.spi.PreKeyStore} and {@link io.sluice.spi.MessageQueue} and prove
 * themselves with the suites of the connector test kit. Failures are {@link io.sluice.spi.SluiceException}s,
 * each of which knows its protocol error name.
 */
package io.sluice.spi;
