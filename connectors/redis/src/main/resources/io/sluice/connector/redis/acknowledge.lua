-- Removes one message and takes it off the usage counters, atomically; a message that is gone changes nothing.
-- KEYS: 1 messages (zset), 2 usage (hash n/b)
-- ARGV: 1 id
-- Returns 1 when it removed the message, else 0.
local found = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[1], 'BYSCORE')
if #found == 0 then
  return 0
end
local member = found[1]
local first = string.find(member, ':', 1, true)
local second = string.find(member, ':', first + 1, true)
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
local n = redis.call('HINCRBY', KEYS[2], 'n', -1)
redis.call('HINCRBY', KEYS[2], 'b', second - #member)
if n <= 0 then
  redis.call('DEL', KEYS[2])
end
return 1
