package sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

const idemPrefix = "idem:"

// Key states as stored in Redis.
const (
	KeyInFlight  = "in-flight"
	KeyCompleted = "completed"
)

// idemRecord is the JSON value stored under idem:<key>, readable with
// redis-cli GET.
type idemRecord struct {
	State       string          `json:"state"`
	Fingerprint string          `json:"fp"`
	ReservedAt  string          `json:"reserved_at"`
	Status      int             `json:"status,omitempty"`
	OrderID     string          `json:"order_id,omitempty"`
	Body        json.RawMessage `json:"body,omitempty"`
}

// idemStore is the Redis side of request idempotency.
type idemStore struct {
	rdb       *redisBackend
	lockTTL   time.Duration
	retention time.Duration
}

// fingerprint identifies a request body, so reusing a key with another body
// is caught (422) instead of replaying someone else's answer.
func fingerprint(r OrderRequest) string {
	sum := sha256.Sum256([]byte(r.Item + "\x00" + strconv.Itoa(r.Qty)))
	return hex.EncodeToString(sum[:8])
}

// reserve runs SET idem:<key> <in-flight> NX PX lockTTL. When the key is
// already there it returns the stored record instead.
func (s *idemStore) reserve(ctx context.Context, key, fp string, now time.Time) (bool, *idemRecord, error) {
	val, _ := json.Marshal(idemRecord{State: KeyInFlight, Fingerprint: fp, ReservedAt: formatLabTime(now)})
	for range 2 { // a second try covers the key expiring between SET and GET
		ok, err := s.rdb.client.SetNX(ctx, idemPrefix+key, val, s.lockTTL).Result()
		if err != nil {
			return false, nil, fmt.Errorf("reserve key: %w", err)
		}
		if ok {
			return true, nil, nil
		}
		rec, err := s.get(ctx, key)
		if err != nil {
			return false, nil, err
		}
		if rec != nil {
			return false, rec, nil
		}
	}
	return false, nil, errors.New("reserve key: the key kept changing under us")
}

func (s *idemStore) get(ctx context.Context, key string) (*idemRecord, error) {
	raw, err := s.rdb.client.Get(ctx, idemPrefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	var rec idemRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("read key %s: stored value is not a lab record: %w", key, err)
	}
	return &rec, nil
}

// complete stores the response for replays, for the retention TTL.
func (s *idemStore) complete(ctx context.Context, key, fp string, resp Response, now time.Time) error {
	val, _ := json.Marshal(idemRecord{
		State: KeyCompleted, Fingerprint: fp, ReservedAt: formatLabTime(now),
		Status: resp.Status, OrderID: resp.OrderID, Body: resp.Body,
	})
	if err := s.rdb.client.Set(ctx, idemPrefix+key, val, s.retention).Err(); err != nil {
		return fmt.Errorf("store response under key: %w", err)
	}
	return nil
}

// release deletes an in-flight reservation after a handled failure, so the
// client may retry at once. It leaves a key alone once another request has
// completed it.
func (s *idemStore) release(ctx context.Context, key, fp string) error {
	return releaseScript.Run(ctx, s.rdb.client, []string{idemPrefix + key}, KeyInFlight, fp).Err()
}

var releaseScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.state == ARGV[1] and r.fp == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0`)

// KeyView is one idempotency key as the UI and /lab/state show it.
type KeyView struct {
	Key         string        `json:"key"`
	State       string        `json:"state"`
	Fingerprint string        `json:"fp"`
	OrderID     string        `json:"order_id,omitempty"`
	Status      int           `json:"status,omitempty"`
	TTL         time.Duration `json:"ttl"` // -1 when the key never expires
}

// keys returns one page of idempotency keys sorted by name.
func (s *idemStore) keys(ctx context.Context, offset, limit int) ([]KeyView, int, error) {
	all, err := s.rdb.labKeys(ctx)
	if err != nil {
		return nil, 0, err
	}
	total := len(all)
	page := pageOf(all, offset, limit)
	if len(page) == 0 {
		return nil, total, nil
	}
	pipe := s.rdb.client.Pipeline()
	gets := make([]*redis.StringCmd, len(page))
	ttls := make([]*redis.DurationCmd, len(page))
	for i, k := range page {
		gets[i] = pipe.Get(ctx, k)
		ttls[i] = pipe.PTTL(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, 0, fmt.Errorf("read keys: %w", err)
	}
	out := make([]KeyView, 0, len(page))
	for i, k := range page {
		raw, err := gets[i].Bytes()
		if err != nil {
			continue // expired between SCAN and GET
		}
		v := KeyView{Key: k[len(idemPrefix):], TTL: ttls[i].Val()}
		var rec idemRecord
		if json.Unmarshal(raw, &rec) != nil {
			v.State = "foreign value"
		} else {
			v.State, v.Fingerprint, v.OrderID, v.Status = rec.State, rec.Fingerprint, rec.OrderID, rec.Status
		}
		out = append(out, v)
	}
	return out, total, nil
}

func pageOf[T any](all []T, offset, limit int) []T {
	if offset < 0 {
		offset = 0
	}
	if offset >= len(all) {
		return nil
	}
	end := len(all)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return all[offset:end]
}
