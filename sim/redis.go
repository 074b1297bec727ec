package sim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// redisBackend is the Redis the service talks to over TCP: miniredis on
// loopback by default, or an external server. Either way the service uses
// the same go-redis client, so what a learner sees with redis-cli is real.
type redisBackend struct {
	embedded *miniredis.Miniredis // nil when external
	client   *redis.Client
	addr     string
}

func openRedis(ctx context.Context, external string) (*redisBackend, error) {
	b := &redisBackend{addr: external}
	if external == "" {
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start embedded redis: %w", err)
		}
		m.SetTime(LabEpoch)
		b.embedded = m
		b.addr = m.Addr()
	}
	b.client = redis.NewClient(&redis.Options{
		Addr:        b.addr,
		DialTimeout: 2 * time.Second,
		// One retry covers the reconnect after RestartRedis; more would hide
		// an unreachable server behind long waits.
		MaxRetries: 1,
	})
	pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := b.client.Ping(pingCtx).Err(); err != nil {
		b.close()
		return nil, fmt.Errorf("redis at %s is unreachable: %w", b.addr, err)
	}
	return b, nil
}

// restart loses every key, the way a Redis without persistence forgets
// everything when it restarts. For an external server only the lab's own
// idem:* keys are deleted: the lab never flushes someone else's data.
func (b *redisBackend) restart(ctx context.Context) error {
	if b.embedded != nil {
		b.embedded.Close()
		b.embedded.FlushAll()
		if err := b.embedded.Restart(); err != nil {
			return fmt.Errorf("restart embedded redis: %w", err)
		}
		return nil
	}
	keys, err := b.labKeys(ctx)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		if err := b.client.Del(ctx, keys...).Err(); err != nil {
			return fmt.Errorf("delete lab keys: %w", err)
		}
	}
	return nil
}

// advance moves Redis TTLs forward by d. miniredis does it with
// FastForward; a real server gets every lab key's PTTL shortened by d, so
// the lesson works there too without sleeping.
func (b *redisBackend) advance(ctx context.Context, d time.Duration, now time.Time) error {
	if b.embedded != nil {
		b.embedded.FastForward(d)
		b.embedded.SetTime(now)
		return nil
	}
	keys, err := b.labKeys(ctx)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	return fastForwardScript.Run(ctx, b.client, keys, d.Milliseconds()).Err()
}

var fastForwardScript = redis.NewScript(`
for _, k in ipairs(KEYS) do
  local t = redis.call('PTTL', k)
  if t > 0 then
    if t <= tonumber(ARGV[1]) then redis.call('DEL', k)
    else redis.call('PEXPIRE', k, t - tonumber(ARGV[1])) end
  end
end
return 0`)

// labKeys lists every idem:* key, sorted.
func (b *redisBackend) labKeys(ctx context.Context) ([]string, error) {
	var keys []string
	iter := b.client.Scan(ctx, 0, idemPrefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("scan redis keys: %w", err)
	}
	slices.Sort(keys)
	return keys, nil
}

func (b *redisBackend) close() {
	if b.client != nil {
		b.client.Close()
	}
	if b.embedded != nil {
		b.embedded.Close()
	}
}
