// README.md's Inputs and Outputs tables against action.yml: the real files agree,
// and every kind of drift in a doctored copy is named.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkReadme } from '../scripts/check-readme.js'

const actionYml = readFileSync('action.yml', 'utf8')
const readme = readFileSync('README.md', 'utf8')

/** The README with one table row replaced (or removed, for ''), failing loudly if the row is not there. */
function withRow(startOfRow: string, replacement: string): string {
  const lines = readme.split('\n')
  const index = lines.findIndex((line) => line.startsWith(startOfRow))
  if (index === -1) throw new Error(`README.md has no row starting with ${startOfRow}`)
  if (replacement === '') lines.splice(index, 1)
  else lines[index] = replacement
  return lines.join('\n')
}

describe('checkReadme', () => {
  it('finds README.md and action.yml in agreement', () => {
    expect(checkReadme(actionYml, readme)).toEqual([])
  })

  it('names an input missing from the table', () => {
    expect(checkReadme(actionYml, withRow('| `branch` |', ''))).toEqual(['README.md ## Inputs: the input branch is in action.yml but missing from the table.'])
  })

  it('names an output missing from the table', () => {
    expect(checkReadme(actionYml, withRow('| `title` |', ''))).toEqual(['README.md ## Outputs: the output title is in action.yml but missing from the table.'])
  })

  it('names inputs and outputs listed that action.yml does not have', () => {
    const doctored = withRow('| `branch` |', '| `branch` | empty | The branch. |\n| `model` | `gpt` | Not an input. |')
    const both = doctored.replace('| `title` |', '| `price` | What it cost. |\n| `title` |')
    expect(checkReadme(actionYml, both)).toEqual([
      'README.md ## Inputs: the input model is listed but action.yml has no such input.',
      'README.md ## Outputs: the output price is listed but action.yml has no such output.'
    ])
  })

  it('names a default that differs from action.yml', () => {
    expect(checkReadme(actionYml, withRow('| `poll-interval` |', '| `poll-interval` | `10s` | How often. |'))).toEqual([
      'README.md ## Inputs: poll-interval shows the default "10s", but action.yml has "30s".'
    ])
  })

  it('names a required input shown with a default, and an optional one shown as required', () => {
    const doctored = withRow('| `api-key` |', '| `api-key` | empty | The key. |').replace('| `timeout` | `60m` |', '| `timeout` | required |')
    expect(checkReadme(actionYml, doctored)).toEqual([
      'README.md ## Inputs: api-key shows the default empty, but action.yml has required.',
      'README.md ## Inputs: timeout shows the default required, but action.yml has "60m".'
    ])
  })

  it('ignores backticks and quotes around defaults', () => {
    const doctored = withRow('| `wait` |', "| `wait` | 'false' | Wait. |").replace('| `context` | `auto` |', '| `context` | "auto" |')
    expect(checkReadme(actionYml, doctored)).toEqual([])
  })

  it('names a row listed twice and a missing section', () => {
    const twice = readme.replace('| `title` |', '| `status` | Again. |\n| `title` |')
    expect(checkReadme(actionYml, twice)).toEqual(['README.md ## Outputs: status is listed more than once.'])
    expect(checkReadme(actionYml, readme.replace('## Outputs', '## Results'))).toEqual(['README.md has no "## Outputs" section.'])
  })

  it('checks against action.yml, not a fixed list: a new input must be documented', () => {
    const grown = actionYml.replace('\noutputs:', "\n  model:\n    description: The LLM.\n    required: false\n    default: ''\n\noutputs:")
    expect(checkReadme(grown, readme)).toEqual(['README.md ## Inputs: the input model is in action.yml but missing from the table.'])
  })
})

describe('node scripts/check-readme.js', () => {
  it('exits 0 on the real files and 1, naming each difference, on a doctored README', () => {
    expect(spawnSync(process.execPath, ['scripts/check-readme.js'], { encoding: 'utf8' }).status).toBe(0)
    const dir = mkdtempSync(join(tmpdir(), 'check-readme-'))
    try {
      const doctored = join(dir, 'README.md')
      writeFileSync(doctored, withRow('| `branch` |', '').replace('| `timeout` | `60m` |', '| `timeout` | `30m` |'))
      const result = spawnSync(process.execPath, ['scripts/check-readme.js', 'action.yml', doctored], { encoding: 'utf8' })
      expect(result.status).toBe(1)
      expect(result.stderr).toContain('the input branch is in action.yml but missing from the table')
      expect(result.stderr).toContain('timeout shows the default "30m", but action.yml has "60m"')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
