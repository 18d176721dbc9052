/**
 * Transport-valid MCP requests, so that a 400 from the transport layer is never mistaken for an
 * authorization result.
 */
export const MCP_PROTOCOL_VERSION = '2025-11-25';

export function mcpRequestHeaders(protocolVersion = MCP_PROTOCOL_VERSION): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': protocolVersion,
  };
}

export function mcpInitializeBody(protocolVersion = MCP_PROTOCOL_VERSION): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: 'mcp-conformance', version: '0.1.0' },
    },
  };
}
