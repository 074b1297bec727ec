package scenarios

import (
	"fmt"
	"strings"

	"outboxlab/sim"
)

// laneTitles are the participants as a sequence diagram names them.
var laneTitles = map[sim.Lane]string{
	sim.LaneClient: "Client", sim.LaneAPI: "Order API", sim.LaneRedis: "Redis", sim.LaneSQLite: "SQLite",
	sim.LaneRelay: "Relay", sim.LaneBroker: "Broker", sim.LaneWarehouse: "Warehouse", sim.LaneEmail: "Email", sim.LaneLab: "Lab",
}

// Mermaid renders trace events as a Mermaid sequence diagram: one
// participant per lane that appears, an arrow per event, a note when an
// event stays on its lane.
func Mermaid(title string, events []sim.Event) string {
	used := map[sim.Lane]bool{}
	for _, e := range events {
		used[e.From], used[e.To] = true, true
	}
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	if title != "" {
		fmt.Fprintf(&b, "    title %s\n", mermaidText(title))
	}
	for _, l := range sim.Lanes {
		if used[l] {
			fmt.Fprintf(&b, "    participant %s as %s\n", l, laneTitles[l])
		}
	}
	for _, e := range events {
		text := e.What
		if e.Key != "" {
			text += " " + e.Key
		}
		if e.Point != "" || (e.What == "crash" && e.Detail != "") {
			text += " @ " + e.Point + e.Detail
		} else if e.Detail != "" && len(e.Detail) < 60 {
			text += " (" + e.Detail + ")"
		}
		text = mermaidText(text)
		switch {
		case e.From == e.To && e.What == "crash":
			fmt.Fprintf(&b, "    Note over %s: ✖ %s\n", e.From, text)
		case e.From == e.To:
			fmt.Fprintf(&b, "    Note over %s: %s\n", e.From, text)
		case e.What == "crash" || e.What == "response lost on the way":
			fmt.Fprintf(&b, "    %s-x%s: %s\n", e.From, e.To, text)
		default:
			fmt.Fprintf(&b, "    %s->>%s: %s\n", e.From, e.To, text)
		}
	}
	return b.String()
}

// mermaidText keeps a label on one line and away from Mermaid's syntax.
func mermaidText(s string) string {
	r := strings.NewReplacer("\n", " ", "\r", " ", ";", ",", "#", "no. ", "%", " percent", "<", "‹", ">", "›")
	return r.Replace(s)
}
