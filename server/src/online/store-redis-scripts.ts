// Lua scripts of the Redis online store. Each runs atomically; TIME (plus the test clock shift) is the one clock
// every node agrees on. Keys of one contest share the hash tag `{<contestId>}`, so keys built inside a script from
// ARGV prefixes stay on the contest's slot. Every key is `<prefix>on:{<contestId>}:<name>`; the headers name keys by
// <name> (see store-redis.ts).

/** The store's clock inside a script: Redis TIME in ms plus the offset held by the named Lua local (0 outside tests). */
const NOW = (offsetLocal: string) => `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(${offsetLocal})`;

/** Registers a contestant once per phone. */
export const REGISTER_CONTESTANT = `
--[[
  Registers a contestant: the phone is claimed first (HSETNX), then the record and the reconnect token.

    Input:
      KEYS[1] phones        (hash phone -> contestant id)
      KEYS[2] contestants   (hash id -> contestant JSON)
      KEYS[3] tokens        (hash token hash -> contestant id)

      ARGV[1] phone
      ARGV[2] contestant id
      ARGV[3] contestant JSON
      ARGV[4] reconnect token hash

    Output:
      1 - registered
      0 - the phone is taken
]]
local phonesKey = KEYS[1]
local contestantsKey = KEYS[2]
local tokensKey = KEYS[3]
local phone = ARGV[1]
local contestantId = ARGV[2]
local contestantJson = ARGV[3]
local tokenHash = ARGV[4]

if redis.call('HSETNX', phonesKey, phone, contestantId) == 0 then return 0 end
redis.call('HSET', contestantsKey, contestantId, contestantJson)
redis.call('HSET', tokensKey, tokenHash, contestantId)
return 1`;

/** Starts an attempt within the round's window and attempt limits. */
export const START_ATTEMPT = `
--[[
  Starts an attempt. An open attempt within deadline + grace is returned instead; one past it is submitted at its
  deadline here (\`expired\`: the caller scores it). Then the round window, the attempt count and the period limit
  are checked, and the attempt is written with its questions.

    Input:
      KEYS[1] r:<roundId>:me:<contestantId>   (the contestant's round hash: starts, open)
      KEYS[2] a:<attemptId>                   (the new attempt)

      ARGV[1] clock offset ms (0 outside tests)
      ARGV[2] attempt key prefix (ends with ':'; + attempt id = attempt key)
      ARGV[3] grace ms
      ARGV[4] round opens at (ms)
      ARGV[5] round closes at (ms)
      ARGV[6] time limit ms per attempt
      ARGV[7] attempts allowed in total
      ARGV[8] attempts allowed per period (0 = no period limit)
      ARGV[9] period ms
      ARGV[10] attempt id
      ARGV[11] round id
      ARGV[12] contestant id
      ARGV[13..] pairs of question id and "index|perm"

    Output:
      {'OK', expired, startedAt, deadline}
      {'EXISTING', attemptId}                - an open attempt is still running
      {'ROUND_NOT_OPEN', expired, ''}
      {'ROUND_CLOSED', expired, ''}
      {'NO_ATTEMPTS_LEFT', expired, ''}
      {'ATTEMPT_TOO_SOON', expired, nextAt}
    expired is the id of an attempt submitted here at its deadline, '' for none.
]]
local meKey = KEYS[1]
local attemptKey = KEYS[2]
local offsetMs = ARGV[1]
local attemptPrefix = ARGV[2]
local graceMs = tonumber(ARGV[3])
local opensAt = tonumber(ARGV[4])
local closesAt = tonumber(ARGV[5])
local limitMs = tonumber(ARGV[6])
local totalAttempts = tonumber(ARGV[7])
local periodAttempts = tonumber(ARGV[8])
local periodMs = tonumber(ARGV[9])
local attemptId = ARGV[10]
local roundId = ARGV[11]
local contestantId = ARGV[12]
local firstQuestionArg = 13
${NOW('offsetMs')}

local expired = ''
local open = redis.call('HGET', meKey, 'open')
if open then
  local akey = attemptPrefix .. open
  if redis.call('HGET', akey, 'status') == 'open' then
    local dl = tonumber(redis.call('HGET', akey, 'deadline'))
    if now <= dl + graceMs then return {'EXISTING', open} end
    redis.call('HSET', akey, 'status', 'submitted', 'sub', dl, 'reason', 'deadline')
    expired = open
  end
  redis.call('HDEL', meKey, 'open')
end
if now < opensAt then return {'ROUND_NOT_OPEN', expired, ''} end
if now > closesAt then return {'ROUND_CLOSED', expired, ''} end
local startsRaw = redis.call('HGET', meKey, 'starts') or ''
local starts = {}
for s in string.gmatch(startsRaw, '[^,]+') do starts[#starts + 1] = tonumber(s) end
if #starts >= totalAttempts then return {'NO_ATTEMPTS_LEFT', expired, ''} end
if periodAttempts > 0 then
  local recent = {}
  for _, s in ipairs(starts) do if s > now - periodMs then recent[#recent + 1] = s end end
  table.sort(recent)
  if #recent >= periodAttempts then return {'ATTEMPT_TOO_SOON', expired, tostring(recent[#recent - periodAttempts + 1] + periodMs)} end
end
local deadline = math.min(now + limitMs, closesAt)
redis.call('HSET', attemptKey, 'id', attemptId, 'round', roundId, 'ct', contestantId, 'status', 'open', 'startedAt', now, 'deadline', deadline)
for i = firstQuestionArg, #ARGV, 2 do redis.call('HSET', attemptKey, 'q:' .. ARGV[i], ARGV[i + 1]) end
if startsRaw == '' then startsRaw = tostring(now) else startsRaw = startsRaw .. ',' .. now end
redis.call('HSET', meKey, 'starts', startsRaw, 'open', attemptId)
return {'OK', expired, tostring(now), tostring(deadline)}`;

/** Saves (replaces) one answer of an open attempt. */
export const SAVE_ATTEMPT_ANSWER = `
--[[
  Saves one answer: checks owner, status, deadline + grace and that the question is in the attempt, then replaces
  the answer. Stored under \`a:<question index>\` as "msSinceStart|choiceJson" (short fields keep the hash compact).

    Input:
      KEYS[1] a:<attemptId>

      ARGV[1] clock offset ms (0 outside tests)
      ARGV[2] contestant id
      ARGV[3] question id
      ARGV[4] choice JSON
      ARGV[5] grace ms

    Output:
      {'OK', remainingMs}
      {'ATTEMPT_NOT_FOUND'}        - no such attempt, or another contestant's
      {'ATTEMPT_OVER'}
      {'QUESTION_NOT_IN_ATTEMPT'}
]]
local attemptKey = KEYS[1]
local offsetMs = ARGV[1]
local contestantId = ARGV[2]
local questionId = ARGV[3]
local choiceJson = ARGV[4]
local graceMs = tonumber(ARGV[5])
${NOW('offsetMs')}

local a = redis.call('HMGET', attemptKey, 'ct', 'status', 'deadline', 'startedAt', 'q:' .. questionId)
if not a[1] or a[1] ~= contestantId then return {'ATTEMPT_NOT_FOUND'} end
local deadline = tonumber(a[3])
if a[2] ~= 'open' or now > deadline + graceMs then return {'ATTEMPT_OVER'} end
if not a[5] then return {'QUESTION_NOT_IN_ATTEMPT'} end
local index = string.sub(a[5], 1, string.find(a[5], '|', 1, true) - 1)
redis.call('HSET', attemptKey, 'a:' .. index, (now - tonumber(a[4])) .. '|' .. choiceJson)
return {'OK', tostring(math.max(0, deadline - now))}`;

/** Submits an attempt, by its contestant or by the deadline job. */
export const SUBMIT_ATTEMPT = `
--[[
  Submits an attempt at min(now, deadline) and clears the contestant's open pointer. The contestant may submit any
  time; the deadline job (contestant id '') only once deadline + grace has passed. A done attempt is reported as is.

    Input:
      KEYS[1] a:<attemptId>

      ARGV[1] clock offset ms (0 outside tests)
      ARGV[2] contestant id, '' = the deadline job
      ARGV[3] grace ms
      ARGV[4] round key prefix (ends with ':'; + round id + ':me:' + contestant id = the me key)

    Output:
      {'OK', status, submittedAt, changed}   - changed '1' if submitted now, '0' if it was already done
      {'ATTEMPT_NOT_FOUND'}                  - no such attempt, or another contestant's
      {'NOT_DUE'}                            - the deadline job came before deadline + grace
]]
local attemptKey = KEYS[1]
local offsetMs = ARGV[1]
local contestantId = ARGV[2]
local graceMs = tonumber(ARGV[3])
local roundPrefix = ARGV[4]
${NOW('offsetMs')}

local a = redis.call('HMGET', attemptKey, 'ct', 'status', 'deadline', 'sub', 'round')
if not a[1] or (contestantId ~= '' and a[1] ~= contestantId) then return {'ATTEMPT_NOT_FOUND'} end
if a[2] ~= 'open' then return {'OK', a[2], a[4], '0'} end
local deadline = tonumber(a[3])
if contestantId == '' and now <= deadline + graceMs then return {'NOT_DUE'} end
local sub = math.min(now, deadline)
redis.call('HSET', attemptKey, 'status', 'submitted', 'sub', sub, 'reason', contestantId == '' and 'deadline' or 'contestant')
local me = roundPrefix .. a[5] .. ':me:' .. a[1]
local id = redis.call('HGET', attemptKey, 'id')
if redis.call('HGET', me, 'open') == id then redis.call('HDEL', me, 'open') end
return {'OK', 'submitted', tostring(sub), '1'}`;

/** Scores a submitted attempt once: result, the contestant's counting attempt, the ranking and the counters. */
export const APPLY_ATTEMPT_SCORE = `
--[[
  Applies a score. The guard: only a submitted attempt is scored, and scoring moves it to 'scored' — a retried job
  writes nothing. The attempt replaces the contestant's counting one when counts = 'last' and it was submitted no
  earlier, or when counts = 'best' and it ranks before it (lower score, then lower member).

    Input:
      KEYS[1] a:<attemptId>
      KEYS[2] r:<roundId>:me:<contestantId>
      KEYS[3] r:<roundId>:rank       (sorted set, lower first)
      KEYS[4] r:<roundId>:counters   (hash)

      ARGV[1] result (encoded)
      ARGV[2] ranking score
      ARGV[3] ranking member
      ARGV[4] counts: 'best' | 'last'
      ARGV[5] unit
      ARGV[6] group
      ARGV[7] submitted at (ms)

    Output:
      1 - applied
      0 - not (the attempt is not submitted, or already scored)
]]
local attemptKey = KEYS[1]
local meKey = KEYS[2]
local rankKey = KEYS[3]
local countersKey = KEYS[4]
local result = ARGV[1]
local scoreArg = ARGV[2]
local member = ARGV[3]
local counts = ARGV[4]
local unit = ARGV[5]
local group = ARGV[6]
local submittedAt = ARGV[7]

if redis.call('HGET', attemptKey, 'status') ~= 'submitted' then return 0 end
redis.call('HSET', attemptKey, 'status', 'scored', 'result', result)
local first = redis.call('HINCRBY', meKey, 'scored', 1) == 1
local score = tonumber(scoreArg)
local m = redis.call('HMGET', meKey, 'counting', 'score', 'member', 'cat')
local replace = false
if not m[1] then replace = true
elseif counts == 'last' then replace = tonumber(submittedAt) >= tonumber(m[4])
else
  local cur = tonumber(m[2])
  replace = score < cur or (score == cur and member < m[3])
end
if replace then
  if m[3] then redis.call('ZREM', rankKey, m[3]) end
  redis.call('ZADD', rankKey, scoreArg, member)
  redis.call('HSET', meKey, 'counting', redis.call('HGET', attemptKey, 'id'), 'score', scoreArg, 'member', member, 'cat', submittedAt)
end
for _, slot in ipairs({'', 'u:' .. unit .. ':', 'g:' .. group .. ':'}) do
  redis.call('HINCRBY', countersKey, slot .. 'attempts', 1)
  if first then redis.call('HINCRBY', countersKey, slot .. 'participants', 1) end
end
return 1`;

/** Releases an invitation code, but only from the use that holds it. */
export const RELEASE_INVITATION = `
--[[
  Releases an invitation: the code's use is deleted only if it is still bound to this use (compare-and-delete).

    Input:
      KEYS[1] invitation-uses   (hash code -> use)

      ARGV[1] invitation code
      ARGV[2] use

    Output:
      1 - released
      0 - the code was free or bound to another use
]]
local usesKey = KEYS[1]
local code = ARGV[1]
local use = ARGV[2]

if redis.call('HGET', usesKey, code) == use then return redis.call('HDEL', usesKey, code) end
return 0`;

/** A page of the ranking with each member's counting attempt and contestant: one call instead of four per member. */
export const READ_COUNTING_PAGE = `
--[[
  Reads a page of the round's ranking: for each member, the contestant id, the counting attempt's id and hash, and
  the contestant's JSON. Read only.

    Input:
      KEYS[1] r:<roundId>:rank   (sorted set of ranking members)
      KEYS[2] contestants        (hash id -> contestant JSON)

      ARGV[1] the me-key prefix   (r:<roundId>:me:, whole key before the contestant id)
      ARGV[2] the attempt prefix  (a:, whole key before the attempt id)
      ARGV[3] offset
      ARGV[4] limit

    Output:
      { { contestantId, attemptId or false, { field, value, ... }, contestant JSON or false }, ... }
]]
local rankKey = KEYS[1]
local contestantsKey = KEYS[2]
local mePrefix = ARGV[1]
local attemptPrefix = ARGV[2]
local offset = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])

local out = {}
for _, member in ipairs(redis.call('ZRANGE', rankKey, offset, offset + limit - 1)) do
  local contestantId = string.sub(member, string.find(member, ':', 1, true) + 1)
  local attemptId = redis.call('HGET', mePrefix .. contestantId, 'counting')
  local attempt = {}
  if attemptId then attempt = redis.call('HGETALL', attemptPrefix .. attemptId) end
  out[#out + 1] = { contestantId, attemptId, attempt, redis.call('HGET', contestantsKey, contestantId) }
end
return out`;
