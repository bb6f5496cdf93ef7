-- Sluice prekeys, version 1. Applied by Flyway (history table sluice_prekeys_history); never edit a released
-- migration, add V2__… instead.
--
-- Device and registration IDs are unsigned 32-bit on the wire, hence bigint holding 0 .. 4294967295.

CREATE TABLE prekey_devices (
    user_id         bytea  NOT NULL CHECK (octet_length(user_id) = 33),
    device_id       bigint NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
    registration_id bigint NOT NULL CHECK (registration_id BETWEEN 0 AND 4294967295),
    signed_prekey   bytea  NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- One row per one-time prekey; a claim deletes the row it hands out, so a key exists here until it is used.
-- id orders keys oldest first.
CREATE TABLE one_time_prekeys (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   bytea  NOT NULL,
    device_id bigint NOT NULL,
    prekey    bytea  NOT NULL,
    FOREIGN KEY (user_id, device_id) REFERENCES prekey_devices (user_id, device_id) ON DELETE CASCADE
);

CREATE INDEX one_time_prekeys_by_device ON one_time_prekeys (user_id, device_id, id);
