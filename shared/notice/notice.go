// Package notice is the loi 09-08 information notice shown on every form of
// the portal that collects personal data (DOMAIN.md, "Personal data"): who
// controls the data and its CNDP number, the purpose and recipients, the
// required fields, the rights of access, rectification and opposition and
// where to exercise them, retention, and hosting abroad. Its version is
// stored with every consent.
package notice

import (
	"strings"

	"espaceosc/shared/i18n"
)

// ContactEmail is where people exercise their rights.
const ContactEmail = "donnees-personnelles@gouvernement-ouvert.ma"

// Notice is the JSON of GET /api/notice.
type Notice struct {
	Version    string `json:"version"`
	CNDPNumber string `json:"cndpNumber"`
	Lang       string `json:"lang"`
	Controller string `json:"controller"`
	// Text is plain text, paragraphs separated by blank lines; render escaped.
	Text string `json:"text"`
}

var controller = map[i18n.Lang]string{
	i18n.FR: "Ministère de la Transition Numérique et de la Réforme de l'Administration",
	i18n.AR: "وزارة الانتقال الرقمي وإصلاح الإدارة",
}

var paragraphs = map[i18n.Lang][]string{
	i18n.FR: {
		"Protection des données personnelles (loi n° 09-08)",
		"Responsable du traitement : le {controller}, qui gère l'espace de la société civile du portail du gouvernement ouvert. " +
			"Ce traitement a fait l'objet d'une déclaration auprès de la Commission nationale de contrôle de la protection des données à caractère personnel (CNDP) sous le n° {cndp}.",
		"Finalité : les données que vous saisissez servent uniquement à traiter votre demande (proposition, observation, inscription ou candidature), " +
			"à vous répondre et à vous informer de son suivi. Elles ne sont ni vendues, ni cédées, ni utilisées à d'autres fins.",
		"Destinataires : les seuls agents habilités du ministère chargés du gouvernement ouvert et, pour les candidatures, les membres du comité de sélection, dans la limite de leurs attributions.",
		"Champs obligatoires : les champs marqués d'un astérisque (*) sont obligatoires ; sans eux, votre demande ne peut pas être traitée. Les autres champs sont facultatifs.",
		"Vos droits : conformément à la loi n° 09-08, vous disposez d'un droit d'accès, de rectification et d'opposition, pour des motifs légitimes, au traitement des données vous concernant. " +
			"Vous pouvez les exercer en écrivant à {email} ou par courrier adressé au {controller}, à Rabat.",
		"Durée de conservation : les données sont conservées le temps nécessaire à la finalité, puis détruites : trois ans à compter du dépôt pour les propositions et observations, " +
			"et quelques mois après l'événement pour les inscriptions.",
		"Hébergement : les données sont hébergées par Amazon Web Services dans la région eu-west-3 (Paris, France). " +
			"Ce transfert à l'étranger s'effectue dans le cadre de l'autorisation de la CNDP.",
		"En cochant la case de consentement, vous acceptez ce traitement de manière libre, spécifique et éclairée.",
	},
	i18n.AR: {
		"حماية المعطيات ذات الطابع الشخصي (القانون رقم 09-08)",
		"المسؤول عن المعالجة: {controller}، التي تتولى تدبير فضاء المجتمع المدني في بوابة الحكومة المنفتحة. " +
			"وقد تم التصريح بهذه المعالجة لدى اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي تحت رقم {cndp}.",
		"الغاية: تُستعمل المعطيات التي تُدلون بها حصريًا لمعالجة طلبكم (مقترح أو ملاحظة أو تسجيل أو ترشيح) والرد عليه وإخباركم بمآله. " +
			"ولا تُباع ولا تُفوَّت ولا تُستعمل لأي غرض آخر.",
		"المرسل إليهم: الموظفون المؤهلون فقط بالوزارة المكلفون بالحكومة المنفتحة، وكذا أعضاء لجنة الانتقاء بالنسبة للترشيحات، في حدود اختصاصاتهم.",
		"الحقول الإلزامية: الحقول المشار إليها بعلامة النجمة (*) إلزامية، ولا يمكن معالجة طلبكم بدونها. أما باقي الحقول فاختيارية.",
		"حقوقكم: طبقًا للقانون رقم 09-08، يحق لكم الولوج إلى المعطيات المتعلقة بكم وتصحيحها والتعرض، لأسباب مشروعة، على معالجتها. " +
			"ويمكنكم ممارسة هذه الحقوق عبر مراسلة {email} أو عبر البريد الموجه إلى {controller} بالرباط.",
		"مدة الحفظ: تُحفظ المعطيات طيلة المدة اللازمة لتحقيق الغاية ثم تُتلف: ثلاث سنوات ابتداءً من تاريخ الإيداع بالنسبة للمقترحات والملاحظات، " +
			"وبضعة أشهر بعد انعقاد النشاط بالنسبة للتسجيلات.",
		"الاستضافة: تُستضاف المعطيات لدى Amazon Web Services في منطقة eu-west-3 (باريس، فرنسا). " +
			"ويتم هذا النقل إلى الخارج في إطار الإذن الممنوح من طرف اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي.",
		"بوضع علامة في خانة الموافقة، فإنكم تقبلون هذه المعالجة بشكل حر ومحدد وعن بينة.",
	},
}

// For returns the notice in lang (French for any other value), with the
// CNDP declaration number and the notice version of the deployment.
func For(lang i18n.Lang, cndpNumber, version string) Notice {
	if lang != i18n.AR {
		lang = i18n.FR
	}
	r := strings.NewReplacer("{controller}", controller[lang], "{cndp}", cndpNumber, "{email}", ContactEmail)
	return Notice{
		Version:    version,
		CNDPNumber: cndpNumber,
		Lang:       string(lang),
		Controller: controller[lang],
		Text:       r.Replace(strings.Join(paragraphs[lang], "\n\n")),
	}
}
