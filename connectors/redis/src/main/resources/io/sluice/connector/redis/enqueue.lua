-- Queues one message for one device, atomically: dedup, quota, append, counters, expiry, wake-up.
-- KEYS: 1 seq, 2 messages (zset), 3 usage (hash n/b), 4 streams (hash), 5 the plain dedup id's key (unused otherwise),
--       6 the call's hold of the stream (h:<call id>:<stream>; unused unless ARGV 10 is set)
-- ARGV: 1 body, 2 dedup kind ('n' none, 'p' plain id, 's' stream position), 3 stream, 4 position (decimal, no
--       leading zeros), 5 quota messages (0: none), 6 quota bytes (0: none), 7 retention ms, 8 PUBLISH or SPUBLISH,
--       9 channel, 10 '1' when the call has other messages of the stream for the device, else ''
-- Returns {outcome, id, messages, bytes}: outcome 0 queued, 1 duplicate, 2 over the messages quota, 3 over bytes.
local n = tonumber(redis.call('HGET', KEYS[3], 'n') or '0')
local b = tonumber(redis.call('HGET', KEYS[3], 'b') or '0')
local kind = ARGV[2]
if kind == 'p' then
  if redis.call('EXISTS', KEYS[5]) == 1 then
    return {1, 0, n, b}
  end
elseif kind == 's' then
  -- An earlier message of the stream in this call was refused: refuse this one the same way, or queueing it would
  -- move the stream's position past the refused one, whose retry would then be dropped as a duplicate.
  if ARGV[10] ~= '' then
    local held = redis.call('GET', KEYS[6])
    if held then
      return {tonumber(held), 0, n, b}
    end
  end
  local highest = redis.call('HGET', KEYS[4], ARGV[3])
  local position = ARGV[4]
  -- Decimal strings without leading zeros: a shorter one is smaller, equal lengths compare as text.
  if highest and (#position < #highest or (#position == #highest and position <= highest)) then
    return {1, 0, n, b}
  end
end
local size = #ARGV[1]
local quotaMessages = tonumber(ARGV[5])
local quotaBytes = tonumber(ARGV[6])
local refused = 0
if quotaMessages > 0 and n >= quotaMessages then
  refused = 2
elseif quotaBytes > 0 and b + size > quotaBytes then
  refused = 3
end
if refused ~= 0 then
  if kind == 's' and ARGV[10] ~= '' then
    -- Only the later scripts of this call read it (the key names the call), and they were pipelined right behind
    -- this one: a short expiry loses nothing, and leaves no key behind for long.
    redis.call('SET', KEYS[6], refused, 'PX', 60000)
  end
  return {refused, 0, n, b}
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- A new (or expired) queue starts its ids from the clock, so they keep growing after an idle queue vanished.
  redis.call('SET', KEYS[1], string.format('%d', now * 1000))
end
local id = redis.call('INCR', KEYS[1])
local idText = string.format('%d', id)
redis.call('ZADD', KEYS[2], idText, idText .. ':' .. string.format('%d', now) .. ':' .. ARGV[1])
n = redis.call('HINCRBY', KEYS[3], 'n', 1)
b = redis.call('HINCRBY', KEYS[3], 'b', size)
local retention = ARGV[7]
if kind == 'p' then
  redis.call('SET', KEYS[5], '1', 'PX', retention)
elseif kind == 's' then
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[4], retention)
end
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('PEXPIRE', KEYS[2], retention)
redis.call('PEXPIRE', KEYS[3], retention)
redis.call(ARGV[8], ARGV[9], 'w')
return {0, id, n, b}
