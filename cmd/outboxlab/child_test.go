package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// childEnv makes the test binary act as the outboxlab command (see
// TestMain), so a test can run `serve` as a real child process and kill it
// with a real signal, without building anything first.
const childEnv = "OUTBOXLAB_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, interrupts))
	}
	os.Exit(m.Run())
}

// child is `outboxlab serve` running in its own process.
type child struct {
	cmd    *exec.Cmd
	api    string
	stderr syncBuffer // written by os/exec while the test reads it
	exited chan error
}

// startChild starts `outboxlab serve args...` as a process and waits for
// its api: line.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	c := &child{cmd: exec.Command(exe, append([]string{"serve"}, args...)...), exited: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), childEnv+"=1")
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	t.Cleanup(func() { c.kill() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if api, ok := strings.CutPrefix(lines.Text(), "api: "); ok {
			c.api = api
			break
		}
	}
	require.NotEmpty(t, c.api, "serve printed no api: line; stderr: %s", c.stderr.String())
	go func() {
		for lines.Scan() {
		}
		c.exited <- c.cmd.Wait()
	}()
	return c
}

// kill ends the process with SIGKILL: no deferred function, no flush, no
// goodbye, as when the power cord is pulled from the process (the disk is
// kept).
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		<-c.exited
	}
}

// stop asks the process to end (SIGTERM) and waits for it.
func (c *child) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-c.exited:
		require.NoError(t, err, "serve exits cleanly on SIGTERM; stderr: %s", c.stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of SIGTERM")
	}
}

// counts reads GET /lab/state's counts.
func (c *child) counts(t *testing.T) sim.Counts {
	t.Helper()
	resp, err := http.Get(c.api + "/lab/state?limit=1")
	require.NoError(t, err)
	defer resp.Body.Close()
	var st struct {
		Counts sim.Counts `json:"counts"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	return st.Counts
}

// waitDelivered waits until the relay and consumers have caught up: no
// pending outbox row, and each consumer holds an effect for every order.
func (c *child) waitDelivered(t *testing.T) sim.Counts {
	t.Helper()
	var got sim.Counts
	require.Eventually(t, func() bool {
		got = c.counts(t)
		return got.OutboxPending == 0 && got.Inbox["warehouse"] == got.Orders && got.Inbox["email"] == got.Orders
	}, 60*time.Second, 20*time.Millisecond, "the relay and consumers did not catch up: %+v", got)
	return got
}

// orderReply is what one request of a test client got back.
type orderReply struct {
	status   int
	replayed bool
	err      error
}

// postOrder sends the one body the tests use for every key.
func postOrder(ctx context.Context, client *http.Client, api, key string) orderReply {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/orders", strings.NewReader(`{"item":"book","qty":1}`))
	if err != nil {
		return orderReply{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return orderReply{err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return orderReply{status: resp.StatusCode, replayed: resp.Header.Get("Idempotent-Replayed") == "true"}
}

// settle retries key until the service answers 201 (a new order or the
// replay of the first one): what a client does after a crash or a lost
// answer. 409 (still in flight) and 503 (busy) are worth another try.
func settle(t *testing.T, client *http.Client, api, key string) orderReply {
	t.Helper()
	var r orderReply
	for range 200 {
		r = postOrder(context.Background(), client, api, key)
		if r.err == nil && r.status == http.StatusCreated {
			return r
		}
		if r.err == nil && r.status != http.StatusConflict && r.status != http.StatusServiceUnavailable {
			break
		}
		time.Sleep(5 * time.Millisecond) // real time for the server to finish the first attempt
	}
	t.Fatalf("key %s never settled: last answer %d, %v", key, r.status, r.err)
	return r
}

// checkDatabases opens the three SQLite files of a stopped lab and checks
// what a DBA would: integrity, one order per key, each order's effect
// applied exactly once by each consumer.
func checkDatabases(t *testing.T, dir string, keys int) {
	t.Helper()
	open := func(name string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, name)+"?mode=ro")
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		var ok string
		require.NoError(t, db.QueryRow(`PRAGMA integrity_check`).Scan(&ok))
		require.Equal(t, "ok", ok, "%s integrity", name)
		return db
	}
	orders := open("orders.db")
	var n, dupKeys int
	require.NoError(t, orders.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n))
	require.Equal(t, keys, n, "exactly one order per key sent")
	require.NoError(t, orders.QueryRow(`SELECT COUNT(*) FROM (SELECT idempotency_key FROM orders GROUP BY idempotency_key HAVING COUNT(*) > 1)`).Scan(&dupKeys))
	require.Zero(t, dupKeys, "no key has two orders")
	var pending int
	require.NoError(t, orders.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status <> 'published'`).Scan(&pending))
	require.Zero(t, pending, "every outbox row is published")
	for _, name := range sim.ConsumerNames {
		db := open(name + ".db")
		var effects, distinct int
		require.NoError(t, db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT order_id) FROM effects`).Scan(&effects, &distinct))
		require.Equal(t, keys, distinct, "%s applied every order", name)
		require.Equal(t, distinct, effects, "%s applied each order once", name)
	}
}

func keyName(prefix string, i int) string { return fmt.Sprintf("%s-%05d", prefix, i) }
