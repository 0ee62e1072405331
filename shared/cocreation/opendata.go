package cocreation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/spreadsheet"
)

// Open data and statistics are built from the published proposals only,
// through their public fields: no address, phone or person's name ever
// reaches them (an organisation's name only when the proposer named a
// member organisation).

// count is one line of the statistics.
type count struct {
	ID           string
	Label        i18n.Text
	Proposals    int
	WithResponse int
	Supports     int
}

func (c *count) add(p Proposal) {
	c.Proposals++
	c.Supports += p.Supports
	if p.Response != nil {
		c.WithResponse++
	}
}

// statistics are a plan's published proposals counted.
type statistics struct {
	Total                       count
	ByTheme, ByRegion, ByStatus []count
}

// computeStatistics counts ps (published proposals of plan) per theme (in
// the plan's order), region and status (every one, zeros included, so that
// charts keep their axes).
func computeStatistics(plan Plan, ps []Proposal) statistics {
	st := statistics{Total: count{ID: "total", Label: i18n.Text{FR: "Toutes les propositions publiées", AR: "جميع المقترحات المنشورة"}}}
	index := func(list *[]count, id string, label i18n.Text) *count {
		for i := range *list {
			if (*list)[i].ID == id {
				return &(*list)[i]
			}
		}
		*list = append(*list, count{ID: id, Label: label})
		return &(*list)[len(*list)-1]
	}
	for _, t := range plan.Themes {
		index(&st.ByTheme, t.ID, t.Label)
	}
	for _, r := range Regions {
		index(&st.ByRegion, r, RegionLabels[r])
	}
	for _, s := range Statuses {
		index(&st.ByStatus, s, StatusLabels[Status(s)])
	}
	for _, p := range ps {
		st.Total.add(p)
		index(&st.ByTheme, p.Theme, i18n.Text{FR: p.Theme}).add(p)
		index(&st.ByRegion, p.Region, i18n.Text{FR: p.Region}).add(p)
		index(&st.ByStatus, string(p.Status()), i18n.Text{FR: string(p.Status())}).add(p)
	}
	return st
}

// share is part/whole rounded to 4 decimals (0 when whole is 0).
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*10000) / 10000
}

// CountView is one line of the statistics in one language.
type CountView struct {
	ID           string `json:"id"`
	Label        string `json:"label"`
	Proposals    int    `json:"proposals"`
	WithResponse int    `json:"withResponse"`
	Supports     int    `json:"supports"`
}

// StatisticsView is what the portal charts: a plan's published proposals
// per theme, region and status, and the share with a reasoned response.
type StatisticsView struct {
	PlanID        string      `json:"planId"`
	Lang          i18n.Lang   `json:"lang"`
	GeneratedAt   string      `json:"generatedAt"`
	Proposals     int         `json:"proposals"`
	WithResponse  int         `json:"withResponse"`
	ResponseShare float64     `json:"responseShare"` // 0..1
	Supports      int         `json:"supports"`
	ByTheme       []CountView `json:"byTheme"`
	ByRegion      []CountView `json:"byRegion"`
	ByStatus      []CountView `json:"byStatus"`
}

// Statistics returns the statistics of the plan planID in lang. Returns
// NotFound.
func (s *Service) Statistics(ctx context.Context, planID string, lang i18n.Lang) (StatisticsView, error) {
	plan, err := s.getPlan(ctx, planID)
	if err != nil {
		return StatisticsView{}, err
	}
	ps, err := s.Store.AllPublished(ctx, plan.ID)
	if err != nil {
		return StatisticsView{}, fmt.Errorf("published proposals of %s: %w", plan.ID, err)
	}
	st := computeStatistics(plan, ps)
	inLang := func(cs []count) []CountView {
		return views(cs, func(c count) CountView {
			return CountView{ID: c.ID, Label: c.Label.In(lang), Proposals: c.Proposals, WithResponse: c.WithResponse, Supports: c.Supports}
		})
	}
	return StatisticsView{
		PlanID: plan.ID, Lang: lang, GeneratedAt: rfc3339(s.clock()),
		Proposals: st.Total.Proposals, WithResponse: st.Total.WithResponse,
		ResponseShare: share(st.Total.WithResponse, st.Total.Proposals), Supports: st.Total.Supports,
		ByTheme: inLang(st.ByTheme), ByRegion: inLang(st.ByRegion), ByStatus: inLang(st.ByStatus),
	}, nil
}

// Open data sets and formats.
const (
	DatasetProposals   = "proposals"
	DatasetCommitments = "commitments"
	DatasetStatistics  = "statistics"
	FormatJSON         = "json"
	FormatCSV          = "csv"
)

// ProposalRecord is one published proposal in open data.
type ProposalRecord struct {
	ID               string `json:"id"`
	Reference        string `json:"reference"`
	Theme            string `json:"theme"`
	ThemeFR          string `json:"theme_fr"`
	ThemeAR          string `json:"theme_ar"`
	Region           string `json:"region"`
	RegionFR         string `json:"region_fr"`
	RegionAR         string `json:"region_ar"`
	Title            string `json:"title"`
	Problem          string `json:"problem"`
	Solution         string `json:"solution"`
	ExpectedImpact   string `json:"expected_impact"`
	Language         string `json:"language"`
	Organisation     string `json:"organisation"` // a member organisation's name, or empty
	SubmittedAt      string `json:"submitted_at"`
	PublishedAt      string `json:"published_at"`
	Status           string `json:"status"`
	JustificationFR  string `json:"justification_fr"`
	JustificationAR  string `json:"justification_ar"`
	RespondedAt      string `json:"responded_at"`
	CommitmentID     string `json:"commitment_id"`
	CommitmentNumber string `json:"commitment_number"`
	Supports         int    `json:"supports"`
}

var proposalColumns = []string{
	"id", "reference", "theme", "theme_fr", "theme_ar", "region", "region_fr", "region_ar", "title", "problem",
	"solution", "expected_impact", "language", "organisation", "submitted_at", "published_at", "status",
	"justification_fr", "justification_ar", "responded_at", "commitment_id", "commitment_number", "supports",
}

func (r ProposalRecord) cells() []string {
	return []string{
		r.ID, r.Reference, r.Theme, r.ThemeFR, r.ThemeAR, r.Region, r.RegionFR, r.RegionAR, r.Title, r.Problem,
		r.Solution, r.ExpectedImpact, r.Language, r.Organisation, r.SubmittedAt, r.PublishedAt, r.Status,
		r.JustificationFR, r.JustificationAR, r.RespondedAt, r.CommitmentID, r.CommitmentNumber, strconv.Itoa(r.Supports),
	}
}

// MilestoneRecord is one milestone of a commitment in open data.
type MilestoneRecord struct {
	TitleFR string `json:"title_fr"`
	TitleAR string `json:"title_ar"`
	DueOn   string `json:"due_on"`
	Status  string `json:"status"`
}

// CommitmentRecord is one commitment in open data.
type CommitmentRecord struct {
	ID                 string            `json:"id"`
	Number             int               `json:"number"`
	TitleFR            string            `json:"title_fr"`
	TitleAR            string            `json:"title_ar"`
	DescriptionFR      string            `json:"description_fr"`
	DescriptionAR      string            `json:"description_ar"`
	LeadInstitutionFR  string            `json:"lead_institution_fr"`
	LeadInstitutionAR  string            `json:"lead_institution_ar"`
	Milestones         []MilestoneRecord `json:"milestones"`
	ProposalReferences []string          `json:"proposal_references"`
}

var commitmentColumns = []string{
	"id", "number", "title_fr", "title_ar", "description_fr", "description_ar", "lead_institution_fr",
	"lead_institution_ar", "milestones", "proposal_references",
}

func (r CommitmentRecord) cells() []string {
	ms := make([]string, len(r.Milestones))
	for i, m := range r.Milestones {
		ms[i] = fmt.Sprintf("%s [%s] %s", m.DueOn, m.Status, m.TitleFR)
	}
	return []string{
		r.ID, strconv.Itoa(r.Number), r.TitleFR, r.TitleAR, r.DescriptionFR, r.DescriptionAR, r.LeadInstitutionFR,
		r.LeadInstitutionAR, strings.Join(ms, " | "), strings.Join(r.ProposalReferences, " "),
	}
}

// StatisticRecord is one line of the statistics in open data.
type StatisticRecord struct {
	Dimension    string `json:"dimension"` // total, theme, region, status
	ID           string `json:"id"`
	LabelFR      string `json:"label_fr"`
	LabelAR      string `json:"label_ar"`
	Proposals    int    `json:"proposals"`
	WithResponse int    `json:"with_response"`
	Supports     int    `json:"supports"`
}

var statisticColumns = []string{"dimension", "id", "label_fr", "label_ar", "proposals", "with_response", "supports"}

func (r StatisticRecord) cells() []string {
	return []string{r.Dimension, r.ID, r.LabelFR, r.LabelAR, strconv.Itoa(r.Proposals), strconv.Itoa(r.WithResponse), strconv.Itoa(r.Supports)}
}

// openDataDocument is the JSON of a data set.
type openDataDocument[R any] struct {
	Plan        planRef `json:"plan"`
	Dataset     string  `json:"dataset"`
	GeneratedAt string  `json:"generatedAt"`
	Source      string  `json:"source"`
	Items       []R     `json:"items"`
}

type planRef struct {
	ID    string    `json:"id"`
	Title i18n.Text `json:"title"`
}

// Source names where open data comes from.
const Source = "Espace de la société civile — Gouvernement ouvert Maroc"

// OpenDataFile is one data set in one format, ready to download.
type OpenDataFile struct {
	Name        string // e.g. pan-2026-2028-proposals.csv
	ContentType string
	Body        []byte
}

// OpenData returns the data set (proposals, commitments, statistics) of the
// plan planID as CSV or JSON. Returns Invalid (fields "dataset", "format")
// or NotFound.
func (s *Service) OpenData(ctx context.Context, planID, dataset, format string) (OpenDataFile, error) {
	var fs apperr.Fields
	switch dataset {
	case DatasetProposals, DatasetCommitments, DatasetStatistics:
	default:
		fs.Add("dataset", "cocreation.dataset", nil)
	}
	if format == "" {
		format = FormatJSON
	}
	validateFormat(&fs, format)
	if err := fs.Err(); err != nil {
		return OpenDataFile{}, err
	}
	plan, err := s.getPlan(ctx, planID)
	if err != nil {
		return OpenDataFile{}, err
	}
	ps, err := s.Store.AllPublished(ctx, plan.ID)
	if err != nil {
		return OpenDataFile{}, fmt.Errorf("published proposals of %s: %w", plan.ID, err)
	}
	var commitments []Commitment
	if dataset != DatasetStatistics {
		if commitments, err = s.Store.AllCommitments(ctx, plan.ID); err != nil {
			return OpenDataFile{}, fmt.Errorf("commitments of %s: %w", plan.ID, err)
		}
	}
	ref := planRef{ID: plan.ID, Title: plan.Title}
	now := rfc3339(s.clock())
	name := plan.ID + "-" + dataset + "." + format
	switch dataset {
	case DatasetProposals:
		return encode(name, format, ref, dataset, now, proposalRecords(plan, ps, commitments), proposalColumns, ProposalRecord.cells)
	case DatasetCommitments:
		return encode(name, format, ref, dataset, now, commitmentRecords(commitments, ps), commitmentColumns, CommitmentRecord.cells)
	}
	return encode(name, format, ref, dataset, now, statisticRecords(computeStatistics(plan, ps)), statisticColumns, StatisticRecord.cells)
}

func validateFormat(fs *apperr.Fields, format string) {
	if format != FormatJSON && format != FormatCSV {
		fs.Add("format", "one_of", map[string]any{"values": FormatJSON + ", " + FormatCSV})
	}
}

// encode writes records as CSV (header row, then one row each) or as a JSON
// document.
func encode[R any](name, format string, ref planRef, dataset, now string, records []R, columns []string, cells func(R) []string) (OpenDataFile, error) {
	if format == FormatCSV {
		c := spreadsheet.New(columns...)
		for _, r := range records {
			c.Row(cells(r)...)
		}
		b, err := c.Bytes()
		if err != nil {
			return OpenDataFile{}, err
		}
		return OpenDataFile{Name: name, ContentType: "text/csv; charset=utf-8", Body: b}, nil
	}
	if records == nil {
		records = []R{}
	}
	b, err := json.Marshal(openDataDocument[R]{Plan: ref, Dataset: dataset, GeneratedAt: now, Source: Source, Items: records})
	if err != nil {
		return OpenDataFile{}, fmt.Errorf("encode %s: %w", name, err)
	}
	return OpenDataFile{Name: name, ContentType: "application/json; charset=utf-8", Body: b}, nil
}

func proposalRecords(plan Plan, ps []Proposal, cs []Commitment) []ProposalRecord {
	numbers := map[string]int{}
	for _, c := range cs {
		numbers[c.ID] = c.Number
	}
	out := make([]ProposalRecord, 0, len(ps))
	for _, p := range ps {
		theme, _ := plan.Theme(p.Theme)
		r := ProposalRecord{
			ID: p.ID, Reference: p.Reference, Theme: p.Theme, ThemeFR: theme.Label.FR, ThemeAR: theme.Label.AR,
			Region: p.Region, RegionFR: RegionLabels[p.Region].FR, RegionAR: RegionLabels[p.Region].AR,
			Title: p.Title, Problem: p.Problem, Solution: p.Solution, ExpectedImpact: p.Impact, Language: string(p.Lang),
			SubmittedAt: rfc3339(p.CreatedAt), PublishedAt: rfc3339(p.PublishedAt), Status: string(p.Status()),
			CommitmentID: p.CommitmentID, Supports: p.Supports,
		}
		if p.MemberOrganisation != nil {
			r.Organisation = p.MemberOrganisation.Name
		}
		if n, ok := numbers[p.CommitmentID]; ok {
			r.CommitmentNumber = strconv.Itoa(n)
		}
		if resp := p.Response; resp != nil {
			r.JustificationFR, r.JustificationAR, r.RespondedAt = resp.Justification.FR, resp.Justification.AR, rfc3339(resp.At)
		}
		out = append(out, r)
	}
	return out
}

func commitmentRecords(cs []Commitment, ps []Proposal) []CommitmentRecord {
	refs := map[string][]string{}
	for _, p := range ps {
		if p.CommitmentID != "" {
			refs[p.CommitmentID] = append(refs[p.CommitmentID], p.Reference)
		}
	}
	out := make([]CommitmentRecord, 0, len(cs))
	for _, c := range cs {
		r := CommitmentRecord{
			ID: c.ID, Number: c.Number, TitleFR: c.Title.FR, TitleAR: c.Title.AR,
			DescriptionFR: c.Description.FR, DescriptionAR: c.Description.AR,
			LeadInstitutionFR: c.LeadInstitution.FR, LeadInstitutionAR: c.LeadInstitution.AR,
			Milestones: []MilestoneRecord{}, ProposalReferences: refs[c.ID],
		}
		if r.ProposalReferences == nil {
			r.ProposalReferences = []string{}
		}
		for _, m := range c.Milestones {
			r.Milestones = append(r.Milestones, MilestoneRecord{TitleFR: m.Title.FR, TitleAR: m.Title.AR, DueOn: m.DueOn, Status: string(m.Status)})
		}
		out = append(out, r)
	}
	return out
}

func statisticRecords(st statistics) []StatisticRecord {
	rec := func(dim string, c count) StatisticRecord {
		return StatisticRecord{Dimension: dim, ID: c.ID, LabelFR: c.Label.FR, LabelAR: c.Label.AR, Proposals: c.Proposals, WithResponse: c.WithResponse, Supports: c.Supports}
	}
	out := []StatisticRecord{rec("total", st.Total)}
	for _, c := range st.ByTheme {
		out = append(out, rec("theme", c))
	}
	for _, c := range st.ByRegion {
		out = append(out, rec("region", c))
	}
	for _, c := range st.ByStatus {
		out = append(out, rec("status", c))
	}
	return out
}
