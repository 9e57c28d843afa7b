// The simulator with every exchange checked against the vendor's OpenAPI
// document: a test that makes the action send, or the simulator answer, what
// the real server's contract does not allow fails when the simulator closes.
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.js'
import { conformanceRecorder } from './conformance.js'

export async function startCheckedSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const recorder = conformanceRecorder()
  const simulator = await startSimulator({
    ...options,
    onExchange: (exchange) => {
      recorder.onExchange(exchange)
      options.onExchange?.(exchange)
    }
  })
  return {
    ...simulator,
    async close() {
      await simulator.close()
      recorder.assertNone()
    }
  }
}
