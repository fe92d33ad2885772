package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// parseUI parses the package's own (non-test) files.
func parseUI(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = f
	}
	return fset, files
}

// isSelector reports whether e is pkg.name.
func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// TestOnlyTheContextReadsTheClock keeps the wall clock out of ui: every
// component tells the time through the shared Context, so screens do not
// depend on the day they are drawn.
func TestOnlyTheContextReadsTheClock(t *testing.T) {
	fset, files := parseUI(t)
	for name, f := range files {
		if name == "context.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && (isSelector(e, "time", "Now") || isSelector(e, "time", "Since") || isSelector(e, "time", "Until")) {
				t.Errorf("%s reads the wall clock: use the Context's clock", fset.Position(n.Pos()))
			}
			return true
		})
	}
}

// TestKeysLiveInTheKeyMap keeps every key name in keys.go: the rest of the
// package matches keys with key.Matches against the one KeyMap, never by
// comparing a key's string.
func TestKeysLiveInTheKeyMap(t *testing.T) {
	fset, files := parseUI(t)
	for name, f := range files {
		if name == "keys.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if isSelector(n.Fun, "key", "WithKeys") || isSelector(n.Fun, "key", "NewBinding") {
					t.Errorf("%s makes a key binding: add it to the KeyMap in keys.go", fset.Position(n.Pos()))
				}
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (callsString(n.X) || callsString(n.Y)) {
					t.Errorf("%s compares a key's string: match a KeyMap binding with key.Matches", fset.Position(n.Pos()))
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && callsString(n.Tag) {
					t.Errorf("%s switches on a key's string: match KeyMap bindings with key.Matches", fset.Position(n.Pos()))
				}
			}
			return true
		})
	}
}

// callsString reports whether e is x.String() on something named like a
// key message (k, msg, key).
func callsString(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "String" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && (id.Name == "k" || id.Name == "msg" || id.Name == "key")
}
