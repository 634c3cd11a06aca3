import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

describe('PUBLIC_BASE_URL', () => {
  it('is optional', () => {
    expect(loadConfig({}).PUBLIC_BASE_URL).toBeUndefined();
  });

  it('accepts an http(s) origin, with or without a path', () => {
    for (const url of ['https://zfgs.example.gov.cn', 'http://10.0.0.5:8080', 'https://example.gov.cn/fashen']) {
      expect(loadConfig({ PUBLIC_BASE_URL: url }).PUBLIC_BASE_URL).toBe(url);
    }
  });

  it('refuses a trailing slash, another scheme, a query or no host, naming the variable', () => {
    for (const url of ['https://example.gov.cn/', 'ftp://example.gov.cn', 'https://example.gov.cn?x=1', 'https://']) {
      expect(() => loadConfig({ PUBLIC_BASE_URL: url }), url).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_BASE_URL: url }), url).toThrow(/PUBLIC_BASE_URL/);
    }
  });
});
