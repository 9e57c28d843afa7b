// The GitHub Actions runner's protocol, as much of it as the action uses: inputs
// from INPUT_* variables, workflow commands on stdout, outputs and the job
// summary through the files the runner names. @actions/core does the same, but
// loading it costs ~100 ms of every run (it evaluates undici for OIDC tokens this
// action never asks for) and brings a second HTTP stack; this is the documented
// protocol, written out.
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

export interface InputOptions {
  /** Default true, as in @actions/core. */
  trimWhitespace?: boolean
}

export function getInput(name: string, options: InputOptions = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? ''
  return options.trimWhitespace === false ? value : value.trim()
}

/** Asks the runner to mask the value in the log from now on. */
export function setSecret(secret: string): void {
  command('add-mask', secret)
}

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (file) appendFileSync(file, keyValueBlock(name, value), 'utf8')
  else command('set-output', value, { name })
}

export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) throw new Error('GITHUB_STEP_SUMMARY is not set: this runner has no job summary')
  appendFileSync(file, markdown, 'utf8')
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  command('debug', message)
}

export function notice(message: string): void {
  command('notice', message)
}

export function warning(message: string): void {
  command('warning', message)
}

export function setFailed(message: string): void {
  process.exitCode = 1
  command('error', message)
}

export function startGroup(title: string): void {
  command('group', title)
}

export function endGroup(): void {
  command('endgroup', '')
}

/** `::name key=value::message`, escaped so a message can never end the command early or start another. */
export function formatCommand(name: string, message: string, properties: Record<string, string> = {}): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

function command(name: string, message: string, properties?: Record<string, string>): void {
  process.stdout.write(formatCommand(name, message, properties) + EOL)
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** A GITHUB_OUTPUT entry: `name<<DELIMITER`, the value, `DELIMITER`, with a delimiter the value cannot contain. */
export function keyValueBlock(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`The output ${name} contains its own delimiter`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}
