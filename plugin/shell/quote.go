// Package shell builds bash command lines from argument vectors, so that
// every argument reaches the program exactly as given, whatever characters
// it holds. Only text explicitly marked as shell is left for bash to parse.
package shell

import "strings"

// Quote returns s as one bash word that expands to exactly s: bare when it
// holds only characters bash never treats specially, else single-quoted
// (a ' inside becomes '\”). The empty string is ”.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if isSafe(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteCommand is Quote for the first word of a simple command, where a
// bare NAME=value would be an assignment and a bare `if`, `!`, `{`... a
// reserved word.
func QuoteCommand(s string) string {
	if strings.Contains(s, "=") || reserved[s] {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return Quote(s)
}

// Var returns a reference to an environment variable that bash expands
// (once, without word splitting): "${NAME}". Concatenate it with Quote'd
// parts to build one word, e.g. Quote("grpc://")+Var("POD_IP")+Quote(":3333").
func Var(name string) string { return `"${` + name + `}"` }

// Join quotes each argument and joins them with spaces.
func Join(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// isSafe reports whether every byte is one bash never interprets in a word:
// letters, digits and @%+=:,./_- (no globbing, expansion, quoting,
// redirection, separators or white space; '~' only expands at the start).
func isSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("@%+=:,./_-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

var reserved = map[string]bool{
	"!": true, "case": true, "coproc": true, "do": true, "done": true, "elif": true,
	"else": true, "esac": true, "fi": true, "for": true, "function": true, "if": true,
	"in": true, "select": true, "then": true, "time": true, "until": true, "while": true,
	"{": true, "}": true, "[[": true, "]]": true,
}
