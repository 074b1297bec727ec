package main

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// server is a `serve` command running in-process.
type server struct {
	stdout, stderr syncBuffer
	interrupt      chan os.Signal
	exited         chan int // receives the exit code once
	stopped        bool
	api, redis, db string
}

// startServe runs `outboxlab serve args...` and waits for its three lines.
// The server is interrupted when the test ends, unless the test stops it.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	s := &server{interrupt: make(chan os.Signal, 1), exited: make(chan int, 1)}
	signals := func() (<-chan os.Signal, func()) { return s.interrupt, func() {} }
	go func() { s.exited <- run(append([]string{"serve"}, args...), &s.stdout, &s.stderr, signals) }()
	t.Cleanup(func() {
		if !s.stopped {
			s.stop(t)
		}
	})

	lines := func() []string { return strings.Split(strings.TrimSuffix(s.stdout.String(), "\n"), "\n") }
	require.Eventually(t, func() bool { return len(lines()) >= 3 }, 10*time.Second, 10*time.Millisecond,
		"serve printed no addresses; stderr: %s", s.stderr.String())
	got := lines()
	require.Len(t, got, 3, "serve prints exactly three lines")
	var ok [3]bool
	s.api, ok[0] = strings.CutPrefix(got[0], "api: ")
	s.redis, ok[1] = strings.CutPrefix(got[1], "redis: ")
	s.db, ok[2] = strings.CutPrefix(got[2], "db: ")
	require.Equal(t, [3]bool{true, true, true}, ok, "want api:, redis: and db: lines, got %q", got)
	return s
}

// stop interrupts the server like Ctrl-C and returns its exit code.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.stopped = true
	s.interrupt <- os.Interrupt
	select {
	case code := <-s.exited:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of the interrupt")
		return -1
	}
}

// placeOrder POSTs the README's order with Idempotency-Key k1.
func placeOrder(t *testing.T, api string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, api+"/orders", strings.NewReader(`{"item":"book","qty":1}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "k1")
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func openOrdersDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "orders.db")+"?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestServeRunsTheRealLabOnLoopbackAndStopsCleanly(t *testing.T) {
	s := startServe(t)
	assert.True(t, strings.HasPrefix(s.api, "http://127.0.0.1:"), "api: %s", s.api)
	assert.True(t, strings.HasPrefix(s.redis, "127.0.0.1:"), "redis: %s", s.redis)
	assert.DirExists(t, s.db)

	first, firstBody := placeOrder(t, s.api)
	require.Equal(t, http.StatusCreated, first.StatusCode, firstBody)
	assert.Empty(t, first.Header.Get("Idempotent-Replayed"))
	again, againBody := placeOrder(t, s.api)
	require.Equal(t, http.StatusCreated, again.StatusCode, againBody)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.JSONEq(t, firstBody, againBody, "the retry replays the first answer")

	db := openOrdersDB(t, s.db)
	var orders int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&orders))
	assert.Equal(t, 1, orders, "two requests with one key make one order")

	rdb := redis.NewClient(&redis.Options{Addr: s.redis})
	defer rdb.Close()
	n, err := rdb.Exists(context.Background(), "idem:k1").Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "Redis holds the key's record")

	// Nothing is stepped by hand: the relay publishes the outbox row by itself.
	require.Eventually(t, func() bool {
		var status string
		err := db.QueryRow(`SELECT status FROM outbox`).Scan(&status)
		return err == nil && status == "published"
	}, 10*time.Second, 20*time.Millisecond, "the relay never published the outbox row")
	require.NoError(t, db.Close())

	assert.Equal(t, 0, s.stop(t))
	assert.Empty(t, s.stderr.String())
	assert.NoDirExists(t, s.db, "the temporary database directory is removed on exit")
}

func TestServeKeepsTheDatabaseDirectoryGivenWithDB(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lab")
	s := startServe(t, "--db", dir, "--seed", "7")
	assert.Equal(t, dir, s.db)
	resp, body := placeOrder(t, s.api)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	require.Equal(t, 0, s.stop(t))

	var orders int
	require.NoError(t, openOrdersDB(t, dir).QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&orders))
	assert.Equal(t, 1, orders)
}

func TestServeWarnsWhenTheAPIIsReachableFromTheNetwork(t *testing.T) {
	s := startServe(t, "--listen", "0.0.0.0:0")
	assert.Contains(t, s.stderr.String(), "reachable from the network")
	assert.Equal(t, 0, s.stop(t))
}

func TestServeFailsWithOneLineWhenTheLabCannotOpen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, []byte("not a directory"), 0o644))

	tests := []struct {
		name    string
		args    []string
		message string
	}{
		{"the port is in use", []string{"--listen", busy.Addr().String()}, busy.Addr().String()},
		{"the database directory cannot be made", []string{"--db", filepath.Join(file, "db")}, filepath.Join(file, "db")},
		{"nothing listens at the Redis address", []string{"--redis-addr", "127.0.0.1:1"}, "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"serve"}, tt.args...)...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			requireOneLine(t, stderr)
			assert.True(t, strings.HasPrefix(stderr, "outboxlab: "), stderr)
			assert.Contains(t, stderr, tt.message)
		})
	}
}
