package sim

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sqlMethods take the SQL text as their second argument, after the context.
var sqlMethods = []string{"ExecContext", "QueryContext", "QueryRowContext", "PrepareContext"}

// TestEverySQLStatementIsParameterised reads package sim's source and
// checks that the text of every statement is fixed when the program is
// built: string literals, constants, the embedded schema, and
// concatenations of those with strings.Repeat of fixed placeholder text
// (how the relay and the consumers build IN (?, ?, ...) and multi-row
// VALUES). Everything that comes from data must arrive as an argument.
func TestEverySQLStatementIsParameterised(t *testing.T) {
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	srcs := map[string][]byte{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		srcs[name], err = os.ReadFile(name)
		require.NoError(t, err)
	}
	statements, problems := checkSQL(t, srcs)
	require.Empty(t, problems, "SQL built from data; pass the values as ? arguments instead")
	// The check found the statements it is about, not none at all.
	require.GreaterOrEqual(t, statements, 20)
}

// TestTheSQLCheckCatchesSQLBuiltFromData shows the check above can fail.
func TestTheSQLCheckCatchesSQLBuiltFromData(t *testing.T) {
	src := `package sim

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

const table = "orders"

func good(ctx context.Context, db *sql.DB, ids []int64) {
	q := "SELECT * FROM " + table + " WHERE id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	db.QueryContext(ctx, q)
	run(ctx, db, "DELETE FROM orders")
}

func bad(ctx context.Context, db *sql.DB, key string, r struct{ Item string }) {
	db.ExecContext(ctx, fmt.Sprintf("DELETE FROM orders WHERE key = '%s'", key))
	db.QueryRowContext(ctx, "SELECT * FROM orders WHERE key = '"+key+"'")
	q := "SELECT 1"
	q += " WHERE item = '" + r.Item + "'"
	db.QueryContext(ctx, q)
	db.ExecContext(ctx, strings.Repeat(key, 2))
	run(ctx, db, "UPDATE orders SET item = '"+r.Item+"'")
}

func run(ctx context.Context, db *sql.DB, stmt string) { db.ExecContext(ctx, stmt) }
`
	statements, problems := checkSQL(t, map[string][]byte{"fake.go": []byte(src)})
	require.Equal(t, 6, statements)
	require.Len(t, problems, 5, "%s", strings.Join(problems, "\n"))
	for i, line := range []string{"fake.go:19:", "fake.go:20:", "fake.go:23:", "fake.go:24:", "fake.go:28:"} {
		require.True(t, strings.HasPrefix(problems[i], line), "%q", problems[i])
	}
}

// checkSQL counts the SQL calls in srcs and describes every one whose text
// is not fixed at build time.
func checkSQL(t *testing.T, srcs map[string][]byte) (statements int, problems []string) {
	t.Helper()
	w := &sqlSource{fset: token.NewFileSet(), consts: map[string]bool{}, embedded: map[string]bool{},
		funcs: map[string]*ast.FuncDecl{}, checking: map[string]bool{}, srcs: srcs}
	names := make([]string, 0, len(srcs))
	for name := range srcs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		f, err := parser.ParseFile(w.fset, name, srcs[name], parser.ParseComments)
		require.NoError(t, err)
		w.files = append(w.files, f)
		w.collect(f)
	}
	for _, f := range w.files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !slices.Contains(sqlMethods, sel.Sel.Name) || len(call.Args) < 2 || preparedStatement(sel.X, fn) {
					return true
				}
				statements++
				if !w.fixed(call.Args[1], fn) {
					problems = append(problems, fmt.Sprintf("%s: %s(%s)", w.fset.Position(call.Pos()), sel.Sel.Name, w.text(call.Args[1])))
				}
				return true
			})
		}
	}
	return statements, problems
}

type sqlSource struct {
	fset     *token.FileSet
	files    []*ast.File
	consts   map[string]bool          // package-level constants
	embedded map[string]bool          // package-level //go:embed strings
	funcs    map[string]*ast.FuncDecl // package-level functions, not methods
	checking map[string]bool          // guards against recursion
	srcs     map[string][]byte        // by file name, to quote a statement
}

func (w *sqlSource) collect(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				embed := d.Tok == token.VAR && (hasEmbed(d.Doc) || hasEmbed(vs.Doc))
				for _, n := range vs.Names {
					switch {
					case d.Tok == token.CONST:
						w.consts[n.Name] = true
					case embed && len(vs.Values) == 0:
						w.embedded[n.Name] = true
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				w.funcs[d.Name.Name] = d
			}
		}
	}
}

// hasEmbed reports a //go:embed directive (CommentGroup.Text drops
// directives, so the raw comments are read).
func hasEmbed(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	return slices.ContainsFunc(doc.List, func(c *ast.Comment) bool { return strings.HasPrefix(c.Text, "//go:embed ") })
}

// preparedStatement reports whether x is a variable fn assigns from a
// PrepareContext call: its ExecContext and QueryContext take only
// arguments, and the statement's text was checked where it was prepared.
func preparedStatement(x ast.Expr, fn *ast.FuncDecl) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		a, ok := n.(*ast.AssignStmt)
		if !ok || len(a.Rhs) != 1 || len(a.Lhs) == 0 {
			return true
		}
		lhs, ok := a.Lhs[0].(*ast.Ident)
		call, isCall := a.Rhs[0].(*ast.CallExpr)
		if !ok || !isCall || lhs.Name != id.Name {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "PrepareContext" {
			found = true
		}
		return true
	})
	return found
}

// fixed reports whether e, inside fn, is text fixed at build time.
func (w *sqlSource) fixed(e ast.Expr, fn *ast.FuncDecl) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.ParenExpr:
		return w.fixed(e.X, fn)
	case *ast.BinaryExpr:
		return e.Op == token.ADD && w.fixed(e.X, fn) && w.fixed(e.Y, fn)
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			// strings.Repeat(fixed, n): n only says how many copies.
			pkg, ok := sel.X.(*ast.Ident)
			return ok && pkg.Name == "strings" && sel.Sel.Name == "Repeat" && len(e.Args) == 2 && w.fixed(e.Args[0], fn)
		}
		if id, ok := e.Fun.(*ast.Ident); ok {
			return w.returnsFixed(w.funcs[id.Name])
		}
		return false
	case *ast.Ident:
		return w.identFixed(e.Name, fn)
	}
	return false
}

func (w *sqlSource) identFixed(name string, fn *ast.FuncDecl) bool {
	if values, ok := w.assignments(name, fn); ok {
		for _, v := range values {
			if v == nil || !w.fixed(v, fn) {
				return false
			}
		}
		return true
	}
	if i, ok := paramIndex(name, fn); ok {
		return w.argumentsFixed(fn, i)
	}
	return w.consts[name] || w.embedded[name]
}

// assignments returns every value given to a local variable name in fn; a
// nil value is one the check cannot follow (a multi-value assignment, a
// range variable). ok is false when fn declares no such local.
func (w *sqlSource) assignments(name string, fn *ast.FuncDecl) (values []ast.Expr, ok bool) {
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if id, isID := lhs.(*ast.Ident); isID && id.Name == name {
					ok = true
					if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.DEFINE || n.Tok == token.ASSIGN || n.Tok == token.ADD_ASSIGN) {
						values = append(values, n.Rhs[i])
					} else {
						values = append(values, nil)
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name == name {
					ok = true
					if len(n.Values) == len(n.Names) {
						values = append(values, n.Values[i])
					} else {
						values = append(values, nil)
					}
				}
			}
		case *ast.RangeStmt:
			if id, isID := n.Key.(*ast.Ident); isID && id.Name == name {
				ok = true
				values = append(values, nil) // an index or a map key
			}
			if id, isID := n.Value.(*ast.Ident); isID && id.Name == name {
				ok = true
				// for _, q := range []string{"SELECT ...", "SELECT ..."}
				list, isList := n.X.(*ast.CompositeLit)
				if !isList {
					values = append(values, nil)
					break
				}
				for _, e := range list.Elts {
					if kv, isKV := e.(*ast.KeyValueExpr); isKV {
						e = kv.Value
					}
					values = append(values, e)
				}
			}
		}
		return true
	})
	return values, ok
}

func paramIndex(name string, fn *ast.FuncDecl) (int, bool) {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				return i, true
			}
			i++
		}
	}
	return 0, false
}

// argumentsFixed reports whether every call of fn passes fixed text as
// its i-th argument. A method's callers are not followed: it fails closed.
func (w *sqlSource) argumentsFixed(fn *ast.FuncDecl, i int) bool {
	if fn.Recv != nil {
		return false
	}
	key := fmt.Sprintf("%s#%d", fn.Name.Name, i)
	if w.checking[key] {
		return true // the recursive call is checked where it starts
	}
	w.checking[key] = true
	defer delete(w.checking, key)
	fixed, calls := true, 0
	for _, f := range w.files {
		for _, d := range f.Decls {
			caller, ok := d.(*ast.FuncDecl)
			if !ok || caller.Body == nil {
				continue
			}
			ast.Inspect(caller.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == fn.Name.Name {
					calls++
					if i >= len(call.Args) || !w.fixed(call.Args[i], caller) {
						fixed = false
					}
				}
				return true
			})
		}
	}
	return fixed && calls > 0
}

// returnsFixed reports whether every return of fn gives fixed text.
func (w *sqlSource) returnsFixed(fn *ast.FuncDecl) bool {
	if fn == nil || fn.Body == nil {
		return false
	}
	key := fn.Name.Name + "#return"
	if w.checking[key] {
		return true
	}
	w.checking[key] = true
	defer delete(w.checking, key)
	fixed, returns := true, 0
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false // a closure's returns are its own
		}
		if r, ok := n.(*ast.ReturnStmt); ok {
			returns++
			if len(r.Results) != 1 || !w.fixed(r.Results[0], fn) {
				fixed = false
			}
		}
		return true
	})
	return fixed && returns > 0
}

func (w *sqlSource) text(e ast.Expr) string {
	start, end := w.fset.Position(e.Pos()), w.fset.Position(e.End())
	return string(w.srcs[start.Filename][start.Offset:end.Offset])
}
