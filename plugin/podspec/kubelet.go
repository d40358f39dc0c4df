package podspec

import "strings"

// kubeletLiteral escapes text for a container's command, args or env value,
// which the kubelet expands before the process sees them: $(NAME) becomes
// the value of the container's variable NAME and $$ becomes $. Doubling
// every $ makes the kubelet hand the text over exactly as written, so an
// argument or a value can never pull another variable's text into the
// script (where it would be shell code), and bash's own ${VAR} and $(...)
// in shell text still reach bash.
func kubeletLiteral(s string) string { return strings.ReplaceAll(s, "$", "$$") }
