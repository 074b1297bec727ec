package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/internal/testredis"
)

// `serve --redis-addr` against a real redis-server (the Debian package)
// answers exactly as with the embedded one, and its keys are real keys a
// learner can read with redis-cli.
func TestServeWithARealRedisBehavesTheSame(t *testing.T) {
	addr := testredis.Start(t)
	s := startServe(t, "--redis-addr", addr)
	require.Equal(t, addr, s.redis)
	client := &http.Client{Timeout: 10 * time.Second}
	post := func(key, body string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, s.api+"/orders", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	first := post("real-k1", `{"item":"book","qty":1}`)
	require.Equal(t, http.StatusCreated, first.StatusCode)
	again := post("real-k1", `{"item":"book","qty":1}`)
	assert.Equal(t, http.StatusCreated, again.StatusCode)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, first.Header.Get("Location"), again.Header.Get("Location"), "the replay names the same order")
	other := post("real-k1", `{"item":"lamp","qty":2}`)
	assert.Equal(t, http.StatusUnprocessableEntity, other.StatusCode)

	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	rec, err := rdb.Get(context.Background(), "idem:real-k1").Result()
	require.NoError(t, err, "the key is in the real server")
	assert.Contains(t, rec, `"state":"completed"`)
	ttl, err := rdb.TTL(context.Background(), "idem:real-k1").Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, 23*time.Hour, "kept for the 24h retention")
	assert.Equal(t, 0, s.stop(t))
}
