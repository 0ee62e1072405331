package ddbstore

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Bulk jobs: PK JOB#<id>, SK JOB; while open, GSI1 JOBOPEN / <createdAt>#<id>
// (a sparse index: done jobs leave it). Its count of recorded emails is an
// item of its own, SK COUNT, added to atomically: invocations running the
// same job at once each add what they recorded.
const (
	jobSK      = "JOB"
	jobCountSK = "COUNT"
	jobOpenPK  = "JOBOPEN"
)

// Jobs is the bulk.Store of the table.
type Jobs struct{ t *Table }

var _ bulk.Store = (*Jobs)(nil)

// Jobs returns the table's bulk jobs.
func (t *Table) Jobs() *Jobs { return &Jobs{t: t} }

type jobItem struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	GSI1PK    string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK    string `dynamodbav:"GSI1SK,omitempty"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	Kind      string `dynamodbav:"kind"`
	Ref       string `dynamodbav:"ref"`
	Cursor    string `dynamodbav:"cursor"`
	Recorded  int    `dynamodbav:"recorded"`
	Done      bool   `dynamodbav:"done"`
	CreatedAt string `dynamodbav:"createdAt"`
	UpdatedAt string `dynamodbav:"updatedAt"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

func jobKey(id string) map[string]types.AttributeValue { return Key(JoinKey("JOB", id), jobSK) }

func newJobItem(j bulk.Job) jobItem {
	it := jobItem{
		PK: JoinKey("JOB", j.ID), SK: jobSK, Type: "job", ID: j.ID, Kind: j.Kind, Ref: j.Ref,
		Cursor: j.Cursor, Recorded: j.Recorded, Done: j.Done,
		CreatedAt: Time(j.CreatedAt), UpdatedAt: Time(j.UpdatedAt),
		ExpiresAt: Expiry(j.CreatedAt.Add(bulk.Retention)),
	}
	if !j.Done {
		it.GSI1PK, it.GSI1SK = jobOpenPK, Time(j.CreatedAt)+"#"+j.ID
	}
	it.Recorded = 0 // counted in the COUNT item
	return it
}

func (it jobItem) job() bulk.Job {
	return bulk.Job{
		ID: it.ID, Kind: it.Kind, Ref: it.Ref, Cursor: it.Cursor, Recorded: it.Recorded, Done: it.Done,
		CreatedAt: ParseTime(it.CreatedAt), UpdatedAt: ParseTime(it.UpdatedAt),
	}
}

// Job records j (new) in the transaction, under the name "job": a fact and
// the job that tells of it are written together. A transaction cancelled on
// it means the same fact was already fanned out.
func (tx *Tx) Job(j bulk.Job) *Tx {
	return tx.Put("job", newJobItem(j), NotExists)
}

// GetJob implements bulk.Store: the job and its count, one Query.
func (s *Jobs) GetJob(ctx context.Context, id string) (bulk.Job, error) {
	items, err := s.t.All(ctx, "get job "+id, Query{PK: JoinKey("JOB", id), Consistent: true})
	if err != nil {
		return bulk.Job{}, err
	}
	var job *bulk.Job
	count := 0
	for _, av := range items {
		var it jobItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return bulk.Job{}, fmt.Errorf("unmarshal job %s: %w", id, err)
		}
		switch it.SK {
		case jobSK:
			j := it.job()
			job = &j
		case jobCountSK:
			count = it.Recorded
		}
	}
	if job == nil {
		return bulk.Job{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("job %s: not found", id))
	}
	job.Recorded = count
	return *job, nil
}

// SaveJob implements bulk.Store: the count is added to, then the job item
// written back (a done job leaves the open index) if its cursor is still
// prevCursor.
func (s *Jobs) SaveJob(ctx context.Context, j bulk.Job, prevCursor string, recorded int) error {
	if recorded > 0 {
		if err := s.t.Update(ctx, "job count "+j.ID, Key(JoinKey("JOB", j.ID), jobCountSK),
			"ADD recorded :n SET expiresAt = :exp", Cond{Values: map[string]types.AttributeValue{
				":n": N(int64(recorded)), ":exp": N(Expiry(j.CreatedAt.Add(bulk.Retention))),
			}}); err != nil {
			return err
		}
	}
	err := s.t.Put(ctx, "job "+j.ID, newJobItem(j), Cond{
		Expr:   "attribute_exists(PK) AND #cursor = :prev",
		Names:  map[string]string{"#cursor": "cursor"},
		Values: map[string]types.AttributeValue{":prev": S(prevCursor)},
	})
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("save job %s: moved meanwhile: %w", j.ID, err))
	}
	return err
}

// OpenJobs implements bulk.Store: GSI1 JOBOPEN, oldest first.
func (s *Jobs) OpenJobs(ctx context.Context, limit int) ([]bulk.Job, error) {
	items, _, err := s.t.Page(ctx, "list open jobs", Query{Index: IndexGSI1, PK: jobOpenPK, Forward: true}, limit, "")
	if err != nil {
		return nil, err
	}
	return DecodeAll(items, "job", jobItem.job)
}

// CreateJob records a job on its own (a fan-out that no other write
// carries); apperr.Conflict if it exists.
func (s *Jobs) CreateJob(ctx context.Context, j bulk.Job) error {
	return s.t.Put(ctx, "job "+j.ID, newJobItem(j), NotExists)
}
