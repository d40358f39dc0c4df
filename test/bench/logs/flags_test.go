package logs

import (
	"flag"
	"time"
)

func flagInt(name string, v int, usage string) *int { return flag.Int(name, v, usage) }

func flagDuration(name string, v time.Duration, usage string) *time.Duration {
	return flag.Duration(name, v, usage)
}
