package main

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The lab's own promise under a real crash: `serve --db DIR` is killed with
// SIGKILL while clients send orders and the relay runs, ten times at
// seeded moments, then restarted on the same files. The embedded Redis
// forgets every key on restart, so the retries that follow reach the
// database, where the UNIQUE key constraint turns each into a replay. In
// the end every key has exactly one order, every order was delivered to
// each consumer exactly once, and every file passes PRAGMA integrity_check.
func TestServeKilledWithSIGKILLLosesNothingAndDuplicatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a child process several times")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	client := &http.Client{Timeout: 20 * time.Second}
	var keys []string
	recovered := 0 // events the broker delivered again after a restart
	const rounds, clients = 10, 8
	for round := range rounds {
		srv := startChild(t, "--db", dir)
		recovered += srv.counts(t).Broker.Log
		// The retries that follow a crash: every key sent so far, again.
		for _, k := range keys {
			settle(t, client, srv.api, k)
		}
		// New orders from several clients while the relay runs; the kill
		// lands after a seeded number of answers, with more in flight.
		killAfter := int64(20 + rng.IntN(150))
		var answered atomic.Int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for c := range clients {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					k := keyName("r"+string(rune('0'+round))+"c"+string(rune('a'+c)), i)
					mu.Lock()
					keys = append(keys, k)
					mu.Unlock()
					postOrder(t.Context(), client, srv.api, k) // the answer may never come: that is the point
					if answered.Add(1) == killAfter {
						srv.kill()
						close(stop)
					}
				}
			})
		}
		wg.Wait()
		t.Logf("round %d: killed after %d answers; %d keys so far", round+1, killAfter, len(keys))
	}

	srv := startChild(t, "--db", dir)
	recovered += srv.counts(t).Broker.Log
	t.Logf("the restarted brokers delivered %d published-but-unapplied events again", recovered)
	created, replayed := 0, 0
	for _, k := range keys {
		if settle(t, client, srv.api, k).replayed {
			replayed++
		} else {
			created++
		}
	}
	t.Logf("after the last restart: %d keys replayed from the database, %d created by their retry", replayed, created)
	require.NotZero(t, replayed, "committed orders answer their retries with a replay")
	srv.waitDelivered(t)
	srv.stop(t)
	checkDatabases(t, dir, len(keys))
}
