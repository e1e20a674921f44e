// Lua scripts of the Redis driver. Each runs atomically; TIME inside a script is the one clock all nodes share.

/** KEYS: game, state. ARGV: gameJson, stateJson. */
export const CREATE_GAME = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/** KEYS: state. ARGV: expectedSeq, nextJson. Compare-and-set on the state's seq. */
export const SAVE_STATE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
if cjson.decode(cur).seq ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

/** KEYS: state, players, nicks, tokens, count, unitcount. ARGV: playerId, playerJson, nickKey, tokenHash, unit. */
export const ADD_PLAYER = `
local s = redis.call('GET', KEYS[1])
if not s then return {'GAME_NOT_FOUND'} end
local st = cjson.decode(s)
if st.phase == 'ended' then return {'WRONG_PHASE'} end
if st.locked then return {'LOBBY_LOCKED'} end
if redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[1]) == 0 then return {'NICKNAME_TAKEN'} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[1])
if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[6], ARGV[5], 1) end
return {'OK', redis.call('INCR', KEYS[5])}`;

/**
 * KEYS: state, answers(q), player count. ARGV: index, playerId, choiceJson, graceMs.
 * Checks phase, question, pause and deadline + grace on Redis TIME, then HSETNX: the first answer wins.
 * Stored value: "elapsedMs|atMs|choiceJson".
 */
export const RECORD_ANSWER = `
local s = redis.call('GET', KEYS[1])
if not s then return {'GAME_NOT_FOUND'} end
local st = cjson.decode(s)
if st.phase ~= 'open' then return {'WRONG_PHASE'} end
if st.index ~= tonumber(ARGV[1]) then return {'WRONG_QUESTION'} end
if st.pausedAt ~= cjson.null then return {'PAUSED'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > st.openedAt + st.limitMs + st.pausedMs + tonumber(ARGV[4]) then return {'TOO_LATE'} end
local elapsed = math.max(0, now - st.openedAt - st.pausedMs)
if redis.call('HSETNX', KEYS[2], ARGV[2], elapsed .. '|' .. now .. '|' .. ARGV[3]) == 0 then return {'ALREADY_ANSWERED'} end
return {'OK', elapsed, redis.call('HLEN', KEYS[2]), tonumber(redis.call('GET', KEYS[3]) or '0')}`;

/**
 * KEYS: scored, results(q), reveal(q), tally, board, unitsum, kicked, frozen. ARGV: index, revealJson, boardPrefix,
 * playersJson: one flat JSON array of strings, 7 per player (id, group, unit, outcomeJson, tallyJson,
 * boardScore, scoreDelta) — one argument whatever the number of players.
 * The guard (SADD on scored) makes a retried or duplicated job count once; a frozen game (results being
 * locked) takes nothing, not even the guard.
 */
export const APPLY_SCORES = `
if redis.call('EXISTS', KEYS[8]) == 1 then return 0 end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[3], ARGV[2])
local prefix = ARGV[3]
local p = cjson.decode(ARGV[4])
for i = 1, #p, 7 do
  local id = p[i]
  if redis.call('SISMEMBER', KEYS[7], id) == 0 then
    local unit = p[i + 2]
    local board = tonumber(p[i + 5])
    redis.call('HSET', KEYS[2], id, p[i + 3])
    redis.call('HSET', KEYS[4], id, p[i + 4])
    redis.call('ZADD', KEYS[5], board, id)
    redis.call('ZADD', prefix .. 'lb:g:' .. p[i + 1], board, id)
    if unit ~= '' then
      redis.call('ZADD', prefix .. 'lb:u:' .. unit, board, id)
      redis.call('ZINCRBY', KEYS[6], tonumber(p[i + 6]), unit)
    end
  end
end
return 1`;

/** KEYS: players, kicked, tokens, count, board, tally, unitcount, unitsum, frozen. ARGV: playerId, boardPrefix. */
export const KICK_PLAYER = `
if redis.call('EXISTS', KEYS[9]) == 1 then return 0 end
local p = redis.call('HGET', KEYS[1], ARGV[1])
if not p then return 0 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
local player = cjson.decode(p)
local tokens = redis.call('HGETALL', KEYS[3])
for i = 1, #tokens, 2 do
  if tokens[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[3], tokens[i]) end
end
redis.call('DECR', KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', ARGV[2] .. 'lb:g:' .. player.group, ARGV[1])
if player.unit then
  redis.call('ZREM', ARGV[2] .. 'lb:u:' .. player.unit, ARGV[1])
  redis.call('HINCRBY', KEYS[7], player.unit, -1)
  local t = redis.call('HGET', KEYS[6], ARGV[1])
  if t then redis.call('ZINCRBY', KEYS[8], -cjson.decode(t).score, player.unit) end
end
return 1`;
