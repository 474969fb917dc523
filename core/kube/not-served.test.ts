import { describe, expect, it } from 'vitest';
import { kindNotServed } from './not-served.js';

describe('kindNotServed', () => {
  it.each([
    ['an unknown group (the mux)', '404 page not found\n', true],
    ['an unknown resource of a known group', '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}', true],
    ['a missing object', '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}', false],
    ['the missing namespace of a new object', '{"kind":"Status","status":"Failure","message":"namespaces \\"shop\\" not found","reason":"NotFound","details":{"name":"shop","kind":"namespaces"},"code":404}', false],
  ])('%s: %s', (_, body, expected) => {
    expect(kindNotServed(body)).toBe(expected);
  });
});
