// Lua scripts of the Redis driver. Each runs atomically; TIME inside a script is the one clock all nodes share.
// Every key of a game is `<prefix>g:{<pin>}:<name>`; the headers name keys by <name>.

/**
 * Keys a script creates after the game was given its expiry (EXPIRE_GAME) go at the same moment as the game's
 * record, so no key of an expired game outlives it (and none could surface in a later game on the same PIN).
 */
const FOLLOW_GAME_EXPIRY = `
local function followGameExpiry(gameKey, ...)
  local at = redis.call('PEXPIRETIME', gameKey)
  if at > 0 then
    for _, key in ipairs({...}) do redis.call('PEXPIREAT', key, at) end
  end
end
`;

export const CREATE_GAME = `
--[[
  Creates a game once: the record and its first state, unless the PIN is taken.

    Input:
      KEYS[1] game
      KEYS[2] state

      ARGV[1] game record JSON
      ARGV[2] initial state JSON

    Output:
      1 - created
      0 - a game with this PIN exists
]]
local gameKey = KEYS[1]
local stateKey = KEYS[2]
local gameJson = ARGV[1]
local stateJson = ARGV[2]

if redis.call('EXISTS', gameKey) == 1 then return 0 end
redis.call('SET', gameKey, gameJson)
redis.call('SET', stateKey, stateJson)
return 1`;

export const SAVE_STATE = `
--[[
  Saves the next state with compare-and-set on the state's seq: two nodes never overwrite each other.

    Input:
      KEYS[1] state

      ARGV[1] the seq the caller read
      ARGV[2] next state JSON

    Output:
      1 - saved
      0 - no game, or another node saved first (the caller re-reads and re-applies)
]]
local stateKey = KEYS[1]
local expectedSeq = tonumber(ARGV[1])
local nextJson = ARGV[2]

local cur = redis.call('GET', stateKey)
if not cur then return 0 end
if cjson.decode(cur).seq ~= expectedSeq then return 0 end
redis.call('SET', stateKey, nextJson, 'KEEPTTL')
return 1`;

export const ADD_PLAYER = `${FOLLOW_GAME_EXPIRY}
--[[
  Adds a contestant: the device (if any) must be free, the nickname is claimed (HSETNX), then the device, the player,
  the token and the counts. A device stays claimed when its player is kicked: one device, one chance per game.

    Input:
      KEYS[1] state
      KEYS[2] players     (hash id -> player JSON)
      KEYS[3] nicks       (hash nickname key -> id)
      KEYS[4] tokens      (hash token hash -> id)
      KEYS[5] count
      KEYS[6] unitcount   (hash unit -> players)
      KEYS[7] devices     (hash device key -> id)

      ARGV[1] player id
      ARGV[2] player JSON
      ARGV[3] nickname key
      ARGV[4] reconnect token hash
      ARGV[5] unit, '' for none
      ARGV[6] device key, '' for none

    Output:
      {'OK', players}   - added; players is the new player count
      {'GAME_NOT_FOUND'}
      {'WRONG_PHASE'}   - the game has ended
      {'LOBBY_LOCKED'}
      {'DEVICE_ALREADY_JOINED'} - a player of this game (kicked or not) holds the device
      {'NICKNAME_TAKEN'}
]]
local stateKey = KEYS[1]
local playersKey = KEYS[2]
local nicksKey = KEYS[3]
local tokensKey = KEYS[4]
local countKey = KEYS[5]
local unitCountKey = KEYS[6]
local devicesKey = KEYS[7]
local playerId = ARGV[1]
local playerJson = ARGV[2]
local nickKey = ARGV[3]
local tokenHash = ARGV[4]
local unit = ARGV[5]
local device = ARGV[6]

local s = redis.call('GET', stateKey)
if not s then return {'GAME_NOT_FOUND'} end
local st = cjson.decode(s)
if st.phase == 'ended' then return {'WRONG_PHASE'} end
if st.locked then return {'LOBBY_LOCKED'} end
if device ~= '' and redis.call('HEXISTS', devicesKey, device) == 1 then return {'DEVICE_ALREADY_JOINED'} end
if redis.call('HSETNX', nicksKey, nickKey, playerId) == 0 then return {'NICKNAME_TAKEN'} end
if device ~= '' then redis.call('HSET', devicesKey, device, playerId) end
redis.call('HSET', playersKey, playerId, playerJson)
redis.call('HSET', tokensKey, tokenHash, playerId)
if unit ~= '' then redis.call('HINCRBY', unitCountKey, unit, 1) end
local players = redis.call('INCR', countKey)
followGameExpiry(string.sub(stateKey, 1, -6) .. 'game', playersKey, nicksKey, tokensKey, countKey, unitCountKey,
  devicesKey)
return {'OK', players}`;

export const RECORD_ANSWER = `${FOLLOW_GAME_EXPIRY}
--[[
  Records one answer: checks phase, question, pause and deadline + grace on Redis TIME, then HSETNX,
  so the first answer wins.

    Input:
      KEYS[1] state
      KEYS[2] q:<i>:ans   (hash player id -> "elapsedMs|atMs|choiceJson")
      KEYS[3] count

      ARGV[1] question index
      ARGV[2] player id
      ARGV[3] choice JSON (validated against the question)
      ARGV[4] grace after the deadline, ms

    Output:
      {'OK', elapsedMs, answered, players} - recorded; answered and player counts after it
      {'GAME_NOT_FOUND'}
      {'WRONG_PHASE'}      - no question is open
      {'WRONG_QUESTION'}   - another question is open
      {'PAUSED'}
      {'NOT_OPEN_YET'}     - the question's "get ready": options open at openedAt
      {'TOO_LATE'}         - past deadline + grace
      {'ALREADY_ANSWERED'}
]]
local stateKey = KEYS[1]
local answersKey = KEYS[2]
local countKey = KEYS[3]
local index = tonumber(ARGV[1])
local playerId = ARGV[2]
local choiceJson = ARGV[3]
local graceMs = tonumber(ARGV[4])

local s = redis.call('GET', stateKey)
if not s then return {'GAME_NOT_FOUND'} end
local st = cjson.decode(s)
if st.phase ~= 'open' then return {'WRONG_PHASE'} end
if st.index ~= index then return {'WRONG_QUESTION'} end
if st.pausedAt ~= cjson.null then return {'PAUSED'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < st.openedAt then return {'NOT_OPEN_YET'} end
if now > st.openedAt + st.limitMs + st.pausedMs + graceMs then return {'TOO_LATE'} end
local elapsed = math.max(0, now - st.openedAt - st.pausedMs)
if redis.call('HSETNX', answersKey, playerId, elapsed .. '|' .. now .. '|' .. choiceJson) == 0 then return {'ALREADY_ANSWERED'} end
local answered = redis.call('HLEN', answersKey)
-- The question's answers hash was just created: only then can it lack the game's expiry.
if answered == 1 then followGameExpiry(string.sub(stateKey, 1, -6) .. 'game', answersKey) end
return {'OK', elapsed, answered, tonumber(redis.call('GET', countKey) or '0')}`;

/**
 * Writes one part of a scored question: for each player not kicked, the outcome, the tally, the boards and the unit
 * sum. Writes go out per key in batches of 500 pairs: one HSET or ZADD per 500 players instead of five to seven
 * commands per player. `skipApplied`: players whose outcome is already written are left alone (a part of a staged
 * question applied twice, by a duplicated job or by the freeze). Returns the keys written.
 */
const APPLY_PART = `
local function applyPart(p, prefix, resultsKey, tallyKey, boardKey, unitSumKey, kickedKey, skipApplied)
  local skip = {}
  for _, id in ipairs(redis.call('SMEMBERS', kickedKey)) do skip[id] = true end
  if skipApplied and #p > 0 then
    local ids = {}
    for i = 1, #p, 7 do ids[#ids + 1] = p[i] end
    local have = redis.call('HMGET', resultsKey, unpack(ids))
    for j = 1, #ids do
      if have[j] then skip[ids[j]] = true end
    end
  end

  local batches = {}
  local function flush(key, b)
    if #b.args > 0 then
      redis.call(b.cmd, key, unpack(b.args))
      b.args = {}
    end
  end
  local function add(cmd, key, a, b)
    local q = batches[key]
    if not q then
      q = { cmd = cmd, args = {} }
      batches[key] = q
    end
    local args = q.args
    args[#args + 1] = a
    args[#args + 1] = b
    if #args >= 1000 then flush(key, q) end
  end

  local unitDelta = {}
  for i = 1, #p, 7 do
    local id = p[i]
    if not skip[id] then
      local group = p[i + 1]
      local unit = p[i + 2]
      local board = p[i + 5]
      add('HSET', resultsKey, id, p[i + 3])
      add('HSET', tallyKey, id, p[i + 4])
      add('ZADD', boardKey, board, id)
      add('ZADD', prefix .. 'lb:g:' .. group, board, id)
      if unit ~= '' then
        add('ZADD', prefix .. 'lb:u:' .. unit, board, id)
        unitDelta[unit] = (unitDelta[unit] or 0) + tonumber(p[i + 6])
      end
    end
  end
  for key, q in pairs(batches) do flush(key, q) end
  for unit, delta in pairs(unitDelta) do redis.call('ZINCRBY', unitSumKey, delta, unit) end
  local keys = {resultsKey, tallyKey, boardKey, unitSumKey}
  for key in pairs(batches) do keys[#keys + 1] = key end
  return keys
end
`;

/** Marks question `index` scored and stores its reveal: the end of applying a staged question. */
const COMMIT_STAGED = `
local function commitStaged(prefix, index, pendingKey)
  local scoredKey = prefix .. 'scored'
  local revealKey = prefix .. 'q:' .. index .. ':reveal'
  redis.call('SADD', scoredKey, index)
  redis.call('SET', revealKey, redis.call('LINDEX', pendingKey, 0))
  redis.call('DEL', pendingKey)
  followGameExpiry(prefix .. 'game', scoredKey, revealKey)
end
`;

export const APPLY_SCORES = `${FOLLOW_GAME_EXPIRY}${APPLY_PART}
--[[
  Applies one scored question in one call: outcomes, tallies, leaderboards and unit sums, all or nothing, once.
  For a question of up to one part's players (500); larger ones are staged (STAGE_SCORES) and applied a part per
  call (APPLY_STAGED), so that no call holds Redis for long. The guard (SADD on scored) makes a retried or
  duplicated job count once; a frozen game (results being locked) takes nothing, not even the guard. Kicked
  players are skipped.

    Input:
      KEYS[1] scored      (set of scored question indexes: the guard)
      KEYS[2] q:<i>:res   (hash player id -> outcome JSON)
      KEYS[3] q:<i>:reveal
      KEYS[4] tally       (hash player id -> tally JSON)
      KEYS[5] lb          (the game's leaderboard)
      KEYS[6] unitsum     (sorted set unit -> score sum)
      KEYS[7] kicked
      KEYS[8] frozen

      ARGV[1] question index
      ARGV[2] reveal JSON
      ARGV[3] board prefix: '<prefix>g:{<pin>}:', for the group (lb:g:<group>) and unit (lb:u:<unit>) boards
      ARGV[4] players: one flat JSON array of strings, 7 per player (id, group, unit or '', outcome JSON,
              tally JSON, leaderboard number, score gained): one argument whatever the number of players

    Output:
      1 - applied
      0 - already applied, or the game is frozen
]]
local scoredKey = KEYS[1]
local resultsKey = KEYS[2]
local revealKey = KEYS[3]
local tallyKey = KEYS[4]
local boardKey = KEYS[5]
local unitSumKey = KEYS[6]
local kickedKey = KEYS[7]
local frozenKey = KEYS[8]
local index = ARGV[1]
local revealJson = ARGV[2]
local prefix = ARGV[3]

if redis.call('EXISTS', frozenKey) == 1 then return 0 end
if redis.call('SADD', scoredKey, index) == 0 then return 0 end
redis.call('SET', revealKey, revealJson)
local keys = applyPart(cjson.decode(ARGV[4]), prefix, resultsKey, tallyKey, boardKey, unitSumKey, kickedKey, false)
keys[#keys + 1] = scoredKey
keys[#keys + 1] = revealKey
followGameExpiry(prefix .. 'game', unpack(keys))
return 1`;

export const STAGE_SCORES = `${FOLLOW_GAME_EXPIRY}
--[[
  Stages a large scored question, a few parts per call, in a list of this job's own; the last call renames it to
  q:<i>:pending, so that whoever applies it (APPLY_STAGED, a part per call, or FREEZE_SCORES, all at once) has all
  of it. A question a duplicated job staged again is replaced whole: both were computed from the same tallies, and
  a part applied twice changes nothing (its players' outcomes are written). A staging list left by a job that died
  goes within a minute.

    Input:
      KEYS[1] scored
      KEYS[2] frozen
      KEYS[3] q:<i>:staging:<run> (this job's list: the reveal JSON, then each part's players JSON, as ARGV[4] of
              APPLY_SCORES)
      KEYS[4] q:<i>:pending

      ARGV[1] question index
      ARGV[2] '1' on the last call
      ARGV[3..] the next items of the list

    Output:
      1 - staged
      0 - already applied, or the game is frozen (nothing staged)
]]
local scoredKey = KEYS[1]
local frozenKey = KEYS[2]
local stagingKey = KEYS[3]
local pendingKey = KEYS[4]
local index = ARGV[1]
local last = ARGV[2] == '1'
local gameKey = string.sub(scoredKey, 1, -7) .. 'game'

if redis.call('EXISTS', frozenKey) == 1 or redis.call('SISMEMBER', scoredKey, index) == 1 then
  redis.call('DEL', stagingKey)
  return 0
end
redis.call('RPUSH', stagingKey, unpack(ARGV, 3))
if last then
  redis.call('RENAME', stagingKey, pendingKey)
  redis.call('PERSIST', pendingKey)
  followGameExpiry(gameKey, pendingKey)
else
  redis.call('PEXPIRE', stagingKey, 60000)
  local at = redis.call('PEXPIRETIME', gameKey)
  if at > 0 and at < redis.call('PEXPIRETIME', stagingKey) then redis.call('PEXPIREAT', stagingKey, at) end
end
return 1`;

export const APPLY_STAGED = `${FOLLOW_GAME_EXPIRY}${APPLY_PART}${COMMIT_STAGED}
--[[
  Applies one part of a staged question (STAGE_SCORES); with its last part, marks the question scored and stores
  its reveal. Staged means applied: a freeze that lands meanwhile applies the rest itself (FREEZE_SCORES), so the
  locked results hold the whole question. Kicked players are skipped.

    Input:
      KEYS[1] scored
      KEYS[2] q:<i>:res
      KEYS[3] tally
      KEYS[4] lb
      KEYS[5] unitsum
      KEYS[6] kicked
      KEYS[7] q:<i>:pending

      ARGV[1] question index
      ARGV[2] board prefix '<prefix>g:{<pin>}:'

    Output:
      2 - a part applied, more to come
      1 - the question is scored (by this call, an earlier one, a duplicated job or the freeze)
      0 - nothing staged
]]
local scoredKey = KEYS[1]
local resultsKey = KEYS[2]
local tallyKey = KEYS[3]
local boardKey = KEYS[4]
local unitSumKey = KEYS[5]
local kickedKey = KEYS[6]
local pendingKey = KEYS[7]
local index = ARGV[1]
local prefix = ARGV[2]

if redis.call('SISMEMBER', scoredKey, index) == 1 then return 1 end
local n = redis.call('LLEN', pendingKey)
if n == 0 then return 0 end
if n > 1 then
  local part = cjson.decode(redis.call('RPOP', pendingKey))
  local keys = applyPart(part, prefix, resultsKey, tallyKey, boardKey, unitSumKey, kickedKey, true)
  followGameExpiry(prefix .. 'game', unpack(keys))
  if n > 2 then return 2 end
end
commitStaged(prefix, index, pendingKey)
return 1`;

export const KICK_PLAYER = `${FOLLOW_GAME_EXPIRY}
--[[
  Kicks a player once: revokes their reconnect tokens, takes them off every board and out of the counts.
  A frozen game (results being locked) takes nothing.

    Input:
      KEYS[1] players     (hash id -> player JSON)
      KEYS[2] kicked
      KEYS[3] tokens      (hash token hash -> id)
      KEYS[4] count
      KEYS[5] lb          (the game's leaderboard)
      KEYS[6] tally       (hash player id -> tally JSON)
      KEYS[7] unitcount   (hash unit -> players)
      KEYS[8] unitsum     (sorted set unit -> score sum)
      KEYS[9] frozen

      ARGV[1] player id
      ARGV[2] board prefix: '<prefix>g:{<pin>}:', for the group (lb:g:<group>) and unit (lb:u:<unit>) boards

    Output:
      1 - kicked
      0 - no such player, already kicked, or the game is frozen
]]
local playersKey = KEYS[1]
local kickedKey = KEYS[2]
local tokensKey = KEYS[3]
local countKey = KEYS[4]
local boardKey = KEYS[5]
local tallyKey = KEYS[6]
local unitCountKey = KEYS[7]
local unitSumKey = KEYS[8]
local frozenKey = KEYS[9]
local playerId = ARGV[1]
local prefix = ARGV[2]

if redis.call('EXISTS', frozenKey) == 1 then return 0 end
local p = redis.call('HGET', playersKey, playerId)
if not p then return 0 end
if redis.call('SADD', kickedKey, playerId) == 0 then return 0 end
followGameExpiry(prefix .. 'game', kickedKey)
local player = cjson.decode(p)
local tokens = redis.call('HGETALL', tokensKey)
for i = 1, #tokens, 2 do
  if tokens[i + 1] == playerId then redis.call('HDEL', tokensKey, tokens[i]) end
end
redis.call('DECR', countKey)
redis.call('ZREM', boardKey, playerId)
redis.call('ZREM', prefix .. 'lb:g:' .. player.group, playerId)
if player.unit then
  redis.call('ZREM', prefix .. 'lb:u:' .. player.unit, playerId)
  redis.call('HINCRBY', unitCountKey, player.unit, -1)
  local t = redis.call('HGET', tallyKey, playerId)
  if t then redis.call('ZINCRBY', unitSumKey, -cjson.decode(t).score, player.unit) end
end
return 1`;

export const FREEZE_SCORES = `${FOLLOW_GAME_EXPIRY}${APPLY_PART}${COMMIT_STAGED}
--[[
  Marks a game's results as being locked (applyScores and kickPlayer then write nothing). A question staged but not
  yet wholly applied (STAGE_SCORES) is applied here, at once: it was scored before the lock, and the lock must read
  all of it or none. An expired game stays gone: nothing is written for it.

    Input:
      KEYS[1] game
      KEYS[2] frozen

      ARGV[1] key prefix '<prefix>g:{<pin>}:'
      ARGV[2] the game's question count (q:<i>:pending)
]]
local gameKey = KEYS[1]
local frozenKey = KEYS[2]
local prefix = ARGV[1]
local questions = tonumber(ARGV[2])

if redis.call('EXISTS', gameKey) == 0 then return 0 end
redis.call('SET', frozenKey, '1')
followGameExpiry(gameKey, frozenKey)
for i = 0, questions - 1 do
  local pendingKey = prefix .. 'q:' .. i .. ':pending'
  local n = redis.call('LLEN', pendingKey)
  if n > 0 and redis.call('SISMEMBER', prefix .. 'scored', i) == 0 then
    local resultsKey = prefix .. 'q:' .. i .. ':res'
    for _ = 2, n do
      local part = cjson.decode(redis.call('RPOP', pendingKey))
      local keys = applyPart(part, prefix, resultsKey, prefix .. 'tally', prefix .. 'lb', prefix .. 'unitsum',
        prefix .. 'kicked', true)
      followGameExpiry(gameKey, unpack(keys))
    end
    commitStaged(prefix, i, pendingKey)
  elseif n > 0 then
    redis.call('DEL', pendingKey)
  end
end
return 1`;

export const EXPIRE_GAME = `
--[[
  Gives every live key of a game one moment to go (PEXPIREAT): the game is gone at once, as a whole. Keys written
  later follow the game record's expiry (FOLLOW_GAME_EXPIRY in the scripts that create them).

    Input:
      KEYS[1] game

      ARGV[1] when the keys go: ms on the Redis clock
      ARGV[2] key prefix '<prefix>g:{<pin>}:'
      ARGV[3] the game's question count (q:<i>:ans, q:<i>:res, q:<i>:reveal, q:<i>:pending)
      ARGV[4..] the target groups (lb:g:<group>); unit boards (lb:u:<unit>) come from unitcount

    Output:
      1 - done
      0 - no such game
]]
local gameKey = KEYS[1]
local at = ARGV[1]
local prefix = ARGV[2]
local questions = tonumber(ARGV[3])

if redis.call('EXISTS', gameKey) == 0 then return 0 end
local names = {'game', 'state', 'players', 'nicks', 'tokens', 'count', 'unitcount', 'kicked', 'tally', 'lb',
  'unitsum', 'scored', 'frozen', 'devices'}
for i = 0, questions - 1 do
  names[#names + 1] = 'q:' .. i .. ':ans'
  names[#names + 1] = 'q:' .. i .. ':res'
  names[#names + 1] = 'q:' .. i .. ':reveal'
  names[#names + 1] = 'q:' .. i .. ':pending'
end
for i = 4, #ARGV do names[#names + 1] = 'lb:g:' .. ARGV[i] end
for _, unit in ipairs(redis.call('HKEYS', prefix .. 'unitcount')) do names[#names + 1] = 'lb:u:' .. unit end
-- The record last: PEXPIREAT with a past time deletes at once, and the unit list above is read first.
for i = #names, 1, -1 do redis.call('PEXPIREAT', prefix .. names[i], at) end
return 1`;
