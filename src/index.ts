// The action's entry point: everything happens in run(), which never throws.
import { run } from './main.js'

await run()
