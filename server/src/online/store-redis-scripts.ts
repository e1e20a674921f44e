// Lua scripts of the Redis online store. Each runs atomically; TIME (plus the test clock shift) is the one clock
// every node agrees on. Keys of one contest share the hash tag `{<contestId>}`, so keys built inside a script from
// ARGV prefixes stay on the contest's slot.

/** The store's clock inside a script: Redis TIME in ms plus ARGV offset (0 outside tests). */
const NOW = (offsetArg: string) => `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(${offsetArg})`;

/**
 * KEYS: phones, contestants, tokens. ARGV: phone, contestantId, contestantJson, tokenHash.
 * Output: 1 registered, 0 the phone is taken.
 */
export const REGISTER_CONTESTANT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[2])
return 1`;

/**
 * KEYS: me (contestant's round hash), attempt (new). ARGV: offsetMs, attemptPrefix, graceMs, opensAt, closesAt, limitMs,
 * total, periodAttempts, periodMs, attemptId, roundId, contestantId, then pairs of question id and "index|perm".
 * Output: {'OK', expired, startedAt, deadline} | {'EXISTING', id} | {code, expired, nextAt}.
 * An open attempt past deadline + grace is submitted at its deadline here (`expired`: the caller scores it).
 */
export const START_ATTEMPT = `${NOW('ARGV[1]')}
local grace = tonumber(ARGV[3])
local expired = ''
local open = redis.call('HGET', KEYS[1], 'open')
if open then
  local akey = ARGV[2] .. open
  if redis.call('HGET', akey, 'status') == 'open' then
    local dl = tonumber(redis.call('HGET', akey, 'deadline'))
    if now <= dl + grace then return {'EXISTING', open} end
    redis.call('HSET', akey, 'status', 'submitted', 'sub', dl, 'reason', 'deadline')
    expired = open
  end
  redis.call('HDEL', KEYS[1], 'open')
end
local opensAt, closesAt = tonumber(ARGV[4]), tonumber(ARGV[5])
if now < opensAt then return {'ROUND_NOT_OPEN', expired, ''} end
if now > closesAt then return {'ROUND_CLOSED', expired, ''} end
local startsRaw = redis.call('HGET', KEYS[1], 'starts') or ''
local starts = {}
for s in string.gmatch(startsRaw, '[^,]+') do starts[#starts + 1] = tonumber(s) end
if #starts >= tonumber(ARGV[7]) then return {'NO_ATTEMPTS_LEFT', expired, ''} end
local periodAttempts, periodMs = tonumber(ARGV[8]), tonumber(ARGV[9])
if periodAttempts > 0 then
  local recent = {}
  for _, s in ipairs(starts) do if s > now - periodMs then recent[#recent + 1] = s end end
  table.sort(recent)
  if #recent >= periodAttempts then return {'ATTEMPT_TOO_SOON', expired, tostring(recent[#recent - periodAttempts + 1] + periodMs)} end
end
local deadline = math.min(now + tonumber(ARGV[6]), closesAt)
redis.call('HSET', KEYS[2], 'id', ARGV[10], 'round', ARGV[11], 'ct', ARGV[12], 'status', 'open', 'startedAt', now, 'deadline', deadline)
for i = 13, #ARGV, 2 do redis.call('HSET', KEYS[2], 'q:' .. ARGV[i], ARGV[i + 1]) end
if startsRaw == '' then startsRaw = tostring(now) else startsRaw = startsRaw .. ',' .. now end
redis.call('HSET', KEYS[1], 'starts', startsRaw, 'open', ARGV[10])
return {'OK', expired, tostring(now), tostring(deadline)}`;

/**
 * KEYS: attempt. ARGV: offsetMs, contestantId, questionId, choiceJson, graceMs.
 * Checks owner, status, deadline + grace and that the question is in the attempt, then replaces the answer.
 * Stored under `a:<question index>` as "msSinceStart|choiceJson" (short fields keep the hash compact).
 * Output: {'OK', remainingMs} | {code}.
 */
export const SAVE_ATTEMPT_ANSWER = `${NOW('ARGV[1]')}
local a = redis.call('HMGET', KEYS[1], 'ct', 'status', 'deadline', 'startedAt', 'q:' .. ARGV[3])
if not a[1] or a[1] ~= ARGV[2] then return {'ATTEMPT_NOT_FOUND'} end
local deadline = tonumber(a[3])
if a[2] ~= 'open' or now > deadline + tonumber(ARGV[5]) then return {'ATTEMPT_OVER'} end
if not a[5] then return {'QUESTION_NOT_IN_ATTEMPT'} end
local index = string.sub(a[5], 1, string.find(a[5], '|', 1, true) - 1)
redis.call('HSET', KEYS[1], 'a:' .. index, (now - tonumber(a[4])) .. '|' .. ARGV[4])
return {'OK', tostring(math.max(0, deadline - now))}`;

/**
 * KEYS: attempt. ARGV: offsetMs, contestantId ('' = the deadline job), graceMs, mePrefix.
 * Output: {'OK', status, submittedAt, changed(0|1)} | {'ATTEMPT_NOT_FOUND'} | {'NOT_DUE'}.
 */
export const SUBMIT_ATTEMPT = `${NOW('ARGV[1]')}
local a = redis.call('HMGET', KEYS[1], 'ct', 'status', 'deadline', 'sub', 'round')
if not a[1] or (ARGV[2] ~= '' and a[1] ~= ARGV[2]) then return {'ATTEMPT_NOT_FOUND'} end
if a[2] ~= 'open' then return {'OK', a[2], a[4], '0'} end
local deadline = tonumber(a[3])
if ARGV[2] == '' and now <= deadline + tonumber(ARGV[3]) then return {'NOT_DUE'} end
local sub = math.min(now, deadline)
redis.call('HSET', KEYS[1], 'status', 'submitted', 'sub', sub, 'reason', ARGV[2] == '' and 'deadline' or 'contestant')
local me = ARGV[4] .. a[5] .. ':me:' .. a[1]
local id = redis.call('HGET', KEYS[1], 'id')
if redis.call('HGET', me, 'open') == id then redis.call('HDEL', me, 'open') end
return {'OK', 'submitted', tostring(sub), '1'}`;

/**
 * KEYS: attempt, me, ranking, counters. ARGV: resultJson, score, member, counts ('best'|'last'), unit, group, submittedAt.
 * The guard: only a submitted attempt is scored, and scoring moves it to 'scored' — a retried job writes nothing.
 * Output: 1 applied, 0 not.
 */
export const APPLY_ATTEMPT_SCORE = `
if redis.call('HGET', KEYS[1], 'status') ~= 'submitted' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'scored', 'result', ARGV[1])
local first = redis.call('HINCRBY', KEYS[2], 'scored', 1) == 1
local score, member = tonumber(ARGV[2]), ARGV[3]
local m = redis.call('HMGET', KEYS[2], 'counting', 'score', 'member', 'cat')
local replace = false
if not m[1] then replace = true
elseif ARGV[4] == 'last' then replace = tonumber(ARGV[7]) >= tonumber(m[4])
else
  local cur = tonumber(m[2])
  replace = score < cur or (score == cur and member < m[3])
end
if replace then
  if m[3] then redis.call('ZREM', KEYS[3], m[3]) end
  redis.call('ZADD', KEYS[3], ARGV[2], member)
  redis.call('HSET', KEYS[2], 'counting', redis.call('HGET', KEYS[1], 'id'), 'score', ARGV[2], 'member', member, 'cat', ARGV[7])
end
for _, slot in ipairs({'', 'u:' .. ARGV[5] .. ':', 'g:' .. ARGV[6] .. ':'}) do
  redis.call('HINCRBY', KEYS[4], slot .. 'attempts', 1)
  if first then redis.call('HINCRBY', KEYS[4], slot .. 'participants', 1) end
end
return 1`;
