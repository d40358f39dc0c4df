package process

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// shellWords are setup steps of a drunc script, not the process itself.
// tee is how a log file is appended to (`prog | tee -a log`); wait and
// kill belong to the LCS's trap (`prog & child=$!; wait $child`).
var shellWords = map[string]bool{"source": true, ".": true, "cd": true, "export": true, "set": true, "trap": true, "tee": true, "true": true, "wait": true, "kill": true}

// Executable names what the process runs: the first program of the last
// step of its script (drunc scripts are `source rte.sh; cd ...; prog args`),
// or the container's command when it is not a shell script.
func Executable(pod *corev1.Pod) string {
	if len(pod.Spec.Containers) == 0 {
		return ""
	}
	c := pod.Spec.Containers[0]
	argv := append(append([]string{}, c.Command...), c.Args...)
	if len(argv) == 0 {
		return ""
	}
	if script, ok := shellScript(argv); ok {
		return lastProgram(script)
	}
	return argv[0]
}

// shellScript returns the text of `sh -c TEXT` (any shell, any path).
func shellScript(argv []string) (string, bool) {
	base := argv[0][strings.LastIndex(argv[0], "/")+1:]
	if base != "sh" && base != "bash" {
		return "", false
	}
	for i := 1; i+1 < len(argv); i++ {
		if strings.HasPrefix(argv[i], "-") && strings.Contains(argv[i], "c") {
			return argv[i+1], true
		}
	}
	return "", false
}

// commandSeparators is built once: a process view is made for every pod at
// every wait's evaluation, and building the replacer was a tenth of a
// 1,000-process boot's CPU.
var commandSeparators = strings.NewReplacer("&&", "\n", ";", "\n", "||", "\n", "|", "\n")

// lastProgram finds the first word of the last command that is not a
// setup builtin, splitting on newlines, ';' and '&&'.
func lastProgram(script string) string {
	lines := strings.Split(commandSeparators.Replace(script), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		for _, w := range strings.Fields(lines[i]) {
			w = strings.Trim(w, `'"`)
			if w == "" || strings.Contains(w, "=") && !strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "/") {
				continue // VAR=value prefix
			}
			if w == "exec" {
				continue
			}
			if shellWords[w] {
				break
			}
			return w
		}
	}
	return ""
}
