package lifecycle

import "sync"

// parallel runs fn for every index in [0, n) with at most limit at once.
func parallel(n, limit int, fn func(i int)) {
	if limit > n {
		limit = n
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
