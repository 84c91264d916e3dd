namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// The Lua scripts of the presence registry. A presence value is <c>{generation}|{connectedUnixMs}|{protocol}|{nodeId}</c>
/// (the node last: a node id may contain <c>|</c>). Generations come from Redis' own clock (microseconds) and are kept
/// strictly above the value they replace, so they order the registrations of one station across nodes and survive a
/// Redis restart that lost its data. Every script touches keys of one hash slot only (Redis Cluster): the claim and the
/// compare-and-delete one station key, a refresh the keys of one presence bucket (see <see cref="RedisKeys"/>).
/// </summary>
internal static class Scripts
{
    /// <summary>
    /// Claims a station for a node. KEYS: station key. ARGV: the value after the generation
    /// (<c>{connectedUnixMs}|{protocol}|{nodeId}</c>), TTL ms.
    /// Returns { generation, previous value or nil }.
    /// </summary>
    public const string Claim = """
        local t = redis.call('TIME')
        local g = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local prev = redis.call('GET', KEYS[1])
        if prev then
          local pg = tonumber(string.match(prev, '^(%d+)|'))
          if pg ~= nil and g <= pg then g = pg + 1 end
        end
        local gs = string.format('%.0f', g)
        redis.call('SET', KEYS[1], gs .. '|' .. ARGV[1], 'PX', ARGV[2])
        return { gs, prev }
        """;
    /// <summary>
    /// Refreshes many presences at once. KEYS: station keys, all in one hash slot. ARGV: TTL ms, then one value per key. A key is (re)set
    /// when it is missing (e.g. Redis restarted), equal to ours, or older than ours; otherwise the newer value is
    /// returned so the node can close its superseded connection. Returns one entry per key: 1 or the newer value.
    /// </summary>
    public const string Refresh = """
        local res = {}
        for i = 1, #KEYS do
          local mine = ARGV[i + 1]
          local cur = redis.call('GET', KEYS[i])
          local take = (not cur) or cur == mine
          if not take then
            local cg = tonumber(string.match(cur, '^(%d+)|'))
            local mg = tonumber(string.match(mine, '^(%d+)|'))
            take = (cg == nil) or (mg ~= nil and cg < mg)
          end
          if take then
            redis.call('SET', KEYS[i], mine, 'PX', ARGV[1])
            res[i] = 1
          else
            res[i] = cur
          end
        end
        return res
        """;

    /// <summary>Compare-and-delete: removes a presence only if it is still ours. KEYS: station key. ARGV: our value.</summary>
    public const string Unclaim = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
