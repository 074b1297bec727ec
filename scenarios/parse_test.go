package scenarios

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

func modeNames() []string {
	out := make([]string, len(sim.Modes))
	for i, m := range sim.Modes {
		out[i] = string(m)
	}
	return out
}

func resultNames() []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = string(r)
	}
	return out
}

func TestEveryBadLineIsNamedByFileAndLineWithTheValidChoices(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int      // 0: the error names the file only
		msg  string   // the message starts with this
		list []string // every one must be named
	}{
		{"an unknown command lists every verb",
			"title: T\n\nfrobnicate now\n", 3, `unknown command "frobnicate"`,
			append([]string{"say", "expect", "shot"}, Verbs...)},
		{"an unknown point in arm lists every point",
			"title: T\narm db.comitted crash-once\n", 2, `unknown point "db.comitted"`,
			sim.PointNames()},
		{"an unknown point in disarm lists every point",
			"title: T\ndisarm nowhere\n", 2, `unknown point "nowhere"`,
			sim.PointNames()},
		{"a bad mode lists every mode",
			"title: T\narm db.committed explode\n", 2, `unknown mode "explode"`,
			modeNames()},
		{"a bad switch value lists the values of that switch",
			"title: T\nset publish=sometimes\n", 2, `switch publish cannot be "sometimes"`,
			[]string{"after-commit", "before-commit", "outbox"}},
		{"an unknown switch lists the switches",
			"title: T\nset colour=blue\n", 2, `unknown switch "colour"`,
			[]string{"idempotency", "publish", "dedup", "conflicts"}},
		{"an unknown consumer lists the consumers",
			"title: T\nconsume billing\n", 2, `unknown consumer "billing"`,
			append([]string{"all"}, sim.ConsumerNames...)},
		{"an unknown consumer in expect lists the consumers",
			"title: T\nexpect effects billing = 1\n", 2, `unknown consumer "billing"`,
			sim.ConsumerNames},
		{"a negative duration is refused",
			"title: T\nadvance -3s\n", 2, "advance needs a positive duration",
			[]string{`"-3s"`, "31s", "24h"}},
		{"a duration that is a word is refused",
			"title: T\nadvance soon\n", 2, "advance needs a positive duration",
			[]string{`"soon"`}},
		{"a shot name with path characters is refused",
			"title: T\nsend key=k1\nshot ../x\n", 3, `shot name "../x"`,
			[]string{"letters, digits", "file name"}},
		{"an unknown expect form lists every form",
			"title: T\nexpect weather sunny\n", 2, `cannot read expect "weather sunny"`,
			ExpectForms},
		{"an unknown invariant lists every invariant and all",
			"title: T\nexpect holds everything\n", 2, `unknown invariant "everything"`,
			append([]string{"all"}, sim.InvariantNames...)},
		{"an unknown client result lists every result",
			"title: T\nexpect client k1 happy\n", 2, `unknown client result "happy"`,
			resultNames()},
		{"a second title names the first",
			"title: First\nsend key=k1\ntitle: Second\n", 3, "a second title",
			[]string{`"First"`}},
		{"an unclosed quote is refused",
			"title: T\nsend key=\"k1\n", 2, "a quoted value is not closed", nil},
		{"a missing title is named by file alone",
			"# no title here\nsend key=k1\n", 0, "no title", []string{"title:"}},
		{"a file with a title and nothing else is refused",
			"title: T\n# only a comment\n", 0, "no steps", []string{"send key="}},
		{"a NUL byte means the file is not text",
			"title: T\nsend key=k1\x00\n", 0, "this is not a text file", nil},
		{"invalid UTF-8 means the file is not text",
			"title: T\nsend key=\xff\xfe\n", 0, "this is not a text file", nil},
		{"a file over one MiB is refused",
			"title: T\n" + strings.Repeat("# padding padding padding\n", MaxFileBytes/25), 0,
			"the file is", []string{"at most " + strconv.Itoa(MaxFileBytes)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("bad.scn", []byte(tt.src))
			require.Error(t, err)
			assert.Nil(t, s)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "want a *ParseError, got %T", err)
			assert.Equal(t, "bad.scn", pe.File)
			assert.Equal(t, tt.line, pe.Line)

			prefix := "bad.scn: "
			if tt.line > 0 {
				prefix = "bad.scn:" + strconv.Itoa(tt.line) + ": "
			}
			require.True(t, strings.HasPrefix(err.Error(), prefix+tt.msg),
				"want %q to start with %q", err.Error(), prefix+tt.msg)
			for _, choice := range tt.list {
				assert.Contains(t, err.Error(), choice)
			}
			assert.NotContains(t, err.Error(), "\n", "an error is one line")
		})
	}
}

func TestTheSizeLimitIsExactlyOneMiB(t *testing.T) {
	head := "title: T\nsend key=k1\n"
	pad := strings.Repeat("#", MaxFileBytes-len(head))
	_, err := Parse("big.scn", []byte(head+pad))
	require.NoError(t, err, "a file of exactly MaxFileBytes is allowed")
	_, err = Parse("big.scn", []byte(head+pad+"#"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the file is 1048577 bytes")
}

func TestQuotedValuesMayHoldSpaces(t *testing.T) {
	s, err := Parse("q.scn", []byte("title: Quotes\nsend key=\"a b\" item=\"blue mug\" qty=2\n"))
	require.NoError(t, err)
	require.Len(t, s.Steps, 1)
	c := s.Steps[0].Action
	require.NotNil(t, c)
	assert.Equal(t, "send", c.Verb)
	assert.Equal(t, []string{"key=a b", "item=blue mug", "qty=2"}, c.Args)
	kv, err := keyValues(c.Args, "key", "item", "qty")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"key": "a b", "item": "blue mug", "qty": "2"}, kv)
}

func TestQuotedValuesUseGoEscapes(t *testing.T) {
	s, err := Parse("q.scn", []byte(`title: Escapes`+"\n"+`send key=k1 item="say \"hi\"\tnow" qty=1`+"\n"))
	require.NoError(t, err)
	assert.Equal(t, "item=say \"hi\"\tnow", s.Steps[0].Action.Args[1])
}

func TestHeadersCommentsAndBlankLinesAreReadAsSuch(t *testing.T) {
	src := "# a comment before the title\n" +
		"\n" +
		"title:   Spaces around the title   \r\n" +
		"summary: one\n" +
		"   # an indented comment\n" +
		"summary: two\n" +
		"seed: 42\n" +
		"\t\n" +
		"send key=k1\n"
	s, err := Parse("dir/headers.scn", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "headers", s.Name)
	assert.Equal(t, "dir/headers.scn", s.File)
	assert.Equal(t, "Spaces around the title", s.Title)
	assert.Equal(t, "one two", s.Summary)
	assert.Equal(t, uint64(42), s.Seed)
	require.Len(t, s.Steps, 1)
	assert.Equal(t, 9, s.Steps[0].Line)
}

func TestTheSeedIsOneUnlessTheFileSaysOtherwise(t *testing.T) {
	s, err := Parse("x.scn", []byte("title: T\nsend key=k1\n"))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), s.Seed)
}

func TestLinesAreGroupedIntoSteps(t *testing.T) {
	src := `title: Grouping
# a comment

expect orders = 0
say First words
say more words
send key=k1 item=book qty=1
expect orders = 1
shot after-send

say Second
relay step
shot relayed
expect outbox published = 1
send key=k2
consume all
say The end.
`
	s, err := Parse("grouping.scn", []byte(src))
	require.NoError(t, err)
	require.Len(t, s.Steps, 6)

	// An expect before any action is a narration-only step of its own.
	st := s.Steps[0]
	assert.Nil(t, st.Action)
	assert.Empty(t, st.Say)
	assert.Equal(t, 4, st.Line)
	require.Len(t, st.Expects, 1)
	assert.Equal(t, Expect{Line: 4, Text: "orders = 0", Kind: "count", What: []string{"orders"}, Op: "=", Want: "0"}, st.Expects[0])

	// Say lines attach to the next action; expects and shots to the one before.
	st = s.Steps[1]
	require.NotNil(t, st.Action)
	assert.Equal(t, "send key=k1 item=book qty=1", st.Action.String())
	assert.Equal(t, 7, st.Line)
	assert.Equal(t, 7, st.Action.Line)
	assert.Equal(t, []string{"First words", "more words"}, st.Say)
	require.Len(t, st.Expects, 1)
	assert.Equal(t, 8, st.Expects[0].Line)
	assert.Equal(t, []Shot{{Line: 9, Name: "after-send"}}, st.Shots)

	// A shot before an expect still belongs to the action before both.
	st = s.Steps[2]
	assert.Equal(t, "relay step", st.Action.String())
	assert.Equal(t, []string{"Second"}, st.Say)
	assert.Equal(t, []Shot{{Line: 13, Name: "relayed"}}, st.Shots)
	require.Len(t, st.Expects, 1)
	assert.Equal(t, []string{"outbox", "published"}, st.Expects[0].What)

	// Back-to-back actions are a step each.
	assert.Equal(t, "send key=k2", s.Steps[3].Action.String())
	assert.Empty(t, s.Steps[3].Say)
	assert.Equal(t, "consume all", s.Steps[4].Action.String())

	// A say after the last action has no action to attach to: it closes
	// the script as a narration-only step.
	st = s.Steps[5]
	assert.Nil(t, st.Action)
	assert.Equal(t, []string{"The end."}, st.Say)
	assert.Equal(t, 17, st.Line)
}
