import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chain } from './build.ts';
import { newProject, parseProject, PROJECT_VERSION, projectJsonSchema, serializeProject } from './project.ts';

describe('project file', () => {
  it('round-trips', () => {
    const p = newProject(chain([{ kind: 'Input', params: { shape: [null, 12] } }, { kind: 'LSTM' }]), 'demo');
    const r = parseProject(serializeProject(p));
    expect(r).toEqual({ ok: true, project: p });
  });

  it('fills training defaults and dataset null', () => {
    const r = parseProject(JSON.stringify({ format: 'unroll-project', version: PROJECT_VERSION, graph: { nodes: [], edges: [] } }));
    expect(r.ok && r.project.training).toMatchObject({ optimizer: 'adam', learning_rate: 0.001, batch_size: 16, epochs: 5 });
    expect(r.ok && r.project.dataset).toBeNull();
  });

  it('names the bad field', () => {
    const base = { format: 'unroll-project', version: PROJECT_VERSION, graph: { nodes: [], edges: [] } };
    expect(parseProject(JSON.stringify({ ...base, training: { batch_size: 0 } }))).toEqual({ ok: false, error: 'training.batch_size: Too small: expected number to be >=1' });
    expect(parseProject(JSON.stringify({ ...base, graph: { nodes: [{ id: 'a' }], edges: [] } }))).toMatchObject({ ok: false, error: expect.stringMatching(/^graph\.nodes\[0\]\.kind: /) });
    expect(parseProject(JSON.stringify({ ...base, version: 99 }))).toMatchObject({ ok: false, error: expect.stringMatching(/newer Unroll/) });
    expect(parseProject('[1,2]')).toEqual({ ok: false, error: 'Not a project file: expected a JSON object.' });
    expect(parseProject('{"modelTopology": {}}')).toMatchObject({ ok: false, error: expect.stringMatching(/Import model/) });
  });

  it('duplicate node ids are refused', () => {
    const n = { id: 'a', kind: 'Dense', name: 'd', params: {}, position: { x: 0, y: 0 } };
    const r = parseProject(JSON.stringify({ format: 'unroll-project', version: PROJECT_VERSION, graph: { nodes: [n, { ...n, name: 'e' }], edges: [] } }));
    expect(r).toEqual({ ok: false, error: 'graph.nodes[1].id: "a" is used twice' });
  });

  it('the published JSON Schema is current', () => {
    const published = JSON.parse(readFileSync(`public/schema/project.v${PROJECT_VERSION}.json`, 'utf8'));
    expect(published).toEqual(projectJsonSchema());
  });
});
