"""Word lists and patterns of the threat extractor, over Lucene-normalised forms (أ→ا، ة→ه، ى→ي).

Patterns are matched against a word *after* its proclitics are removed (see
`rasid.nlp.clitics.proclitic_splits`), so وهددت، فتوعد، بتهديد reach them.
"""

from __future__ import annotations

import re

from rasid.nlp.normalizer import normalize


def normalised(words: list[str]) -> frozenset[str]:
    """A word list as the extractor sees words (written lists keep ى، أ; the normaliser folds them)."""
    return frozenset(w for word in words for w in (word, normalize(word)))


ENC = r"(?:ه|ها|هم|هما|هن|ك|كم|نا|ني)?"

# Verbs and their participles/nouns: (kind, pattern).
THREATEN_VERB = re.compile(rf"^(?:[يتنا]?هدد(?:ت|وا|ون|ان|ن|تا)?{ENC}|مهددا)$")
THREATEN_PARTICIPLE = re.compile(r"^مهدد(?:ه|ين)$")  # active only after a comma (حال); else "مهددة بالانقراض"
THREATEN_NOUN = re.compile(r"^(?:ال)?تهديد(?:ات|ا)?(?:اته|اتها|اتهم|ه|ها|هم)?$")
VOW = re.compile(rf"^(?:[يتنا]?توعد(?:ت|وا|ون|ان)?{ENC}|متوعد(?:ا|ه|ين)?{ENC}|وعيد)$")
# تعهد (pledged): a vow only when a harmful act follows ("تعهدت تركيا بضرب كل من يساعد…"، "تعهد بإعادة تفعيل العقوبات"),
# not "تعهد بتحقيق السلام"; a candidate for the decision layer, which has few rows of it.
PLEDGE = re.compile(rf"^(?:[يتنا]?تعهد(?:ت|وا|ون|ان)?{ENC}|متعهد(?:ا|ه|ين)?)$")
PLEDGED_HARM = re.compile(r"^(?:رد|ردا|انتقام|معاقب|ضرب|سحق|قضاء|ملاحق|محاسب|قصف|هجوم|عقوب|رسوم|طرد|تدمير|حرب|ثار|فرض)")
# Names after عيد (a feast): "عيد الفطر وعيد الأضحى" is "and the feast of", not وعيد (a threat).
FEASTS = frozenset("الفطر الاضحي الميلاد ميلاد الفصح الحب الام الاستقلال الشكر العمال الغطاس الاضحيه".split())
BRANDISH = re.compile(r"^(?:[يتنا]?لوح(?:ت|وا|ون|ان)?|ملوح(?:ا|ه|ين)?|(?:ال)?تلويح)$")
ULTIMATUM_VERB = re.compile(rf"^(?:امهل(?:ت|وا)?{ENC}|[يت]مهل(?:ه|ها|هم))$")
ULTIMATUM_NOUN = re.compile(r"^(?:ال)?(?:انذار(?:ا|ات)?|مهله)$")
WARN = re.compile(rf"^(?:[يتنا]?حذر(?:ت|وا|ون|ان)?{ENC}|محذر(?:ا|ين|ه)?|(?:ال)?تحذير(?:ات|ا)?(?:ه|ها)?)$")
RESPOND_FUTURE = re.compile(r"^(?:س[يتن]رد(?:ون)?|سنرد)$")
RESPOND_PRESENT = re.compile(r"^[يتن]رد$")
PAY = re.compile(r"^س[يتن]دفع(?:ون|ان)?$")
REGRET = re.compile(r"^س[يتن]ندم(?:ون|ان)?$")
FACE = re.compile(r"^(?:س[يتن]واجه(?:ون|ان)?|[يت]واجه(?:ون|ان)?)$")
# Attacking: target, strike, shell, raid (the verb stems; "ستخدم", using, is an attack only with force).
ATTACK_STEMS = "ستهدف|ضرب|قصف|هاجم"
ATTACK_FUTURE = re.compile(rf"^س[يتن](?:{ATTACK_STEMS}|ستخدم)(?:ون)?{ENC}$")
# How many times, how hard ("وسنضربها سبعة أضعاف ذلك"): a measure of the act, never a party to it.
MULTIPLES = frozenset("ضعف ضعفين اضعاف مرتين مره مرات ثلاثه اربعه خمسه سته سبعه ثمانيه تسعه عشره".split())
# What "سيستخدم" must use to be an attack: force or arms ("ستستخدم القوة"), or all means ("سيستخدم كل السبل"، "كافة
# الحقوق"): "كل"/"كافة"/"جميع" only before a word of means ("ستستخدم كل الأموال المتاحة" is no attack).
FORCE_USED = re.compile(r"^(?:ال)?(?:قوه|سلاح|اسلحه|سبل|وسائل)$")
ALL_OF = frozenset("كل كافه جميع".split())
MEANS = re.compile(r"^(?:ال)?(?:سبل|وسائل|خيارات|حقوق|قوه|اسلحه)$")
CONTINUE = re.compile(r"^(?:س[يتن]واصل|[يت]واصل)$")
OR_ELSE = re.compile(r"^والا$")
# Sport (a match, a league, a team, its coach): searched in the normalised sentence.
SPORT = re.compile(r"مباراه|قرعه|مرمي|الدوري|نادي|لاعب|المنتخب|كره القدم|الفريق|المدرب|بطوله|المونديال|ركله|الملعب")
# A threat word that is a noun (تهديد، تحذير، تلويح، وعيد، إنذار، مهلة), with or without the article: its roles are
# a possessor or a name after it, and a condition before it may hold it ("إذا نفذت واشنطن تهديدها").
THREAT_NOUN_FORMS = re.compile(r"^(?:ال)?(?:تهديد|تحذير|تلويح|وعيد|انذار|مهله)")
# Harm named in the act (sanctions, strikes, force, retaliation, punishment).
HARM = re.compile(
    r"عقوب|رسوم|ضرب|هجوم|هجمات|قصف|غزو|حرب|القوه|بالقوه|عسكري|انتقام|بالرد|برد|ردا|للرد|اعتقال|طرد|سحب|الانسحاب|اغلاق"
    r"|قطع|وقف|تدمير|سحق|استهداف|مقاطعه|ثمن|عواقب|تبعات|اجراءات|تدابير|الغاء|حظر|قتل|اعدام|سجن|محاكمه|استجواب"
)
# Verbs that issue a warning or a threat whose subject is its author: "وجه ترمب تحذيرا"، "أطلق الجيش تهديدات".
ISSUING_VERBS = frozenset("وجه وجهت اطلق اطلقت اصدر اصدرت جدد جددت كرر كررت".split())
# Verbal nouns of what a party is asked to do ("طلبت من الشركات | وقف التعامل"), without the article.
DEMANDED_ACTS = re.compile(r"^(?:وقف|انسحاب|تسليم|افراج|اطلاق|كف|توقف|خفض|تخفيض|منع|الغاء|سحب|اخراج|تقديم|دفع|تعديل|اصلاح)$")
# The measures a party announces or weighs ("سيتخذ الإجراءات"، "فرض عقوبات"): never the party threatened.
MEASURE_NOUNS = re.compile(r"^(?:ال)?(?:اجراءات|عقوبات|رسوم|رسوما|تدابير|خطوات|فرض|اجراء)$")
# Acts that hurt someone: expel, freeze, punish, pursue, hold to account, destroy, crush, cut, ban, shut.
PUNITIVE_STEMS = "طرد|جمد|عاقب|لاحق|حاسب|دمر|سحق|قطع|منع|غلق"
# Future acts with no threat verb (candidates for the decision layer): the punitive ones, and moves, halts, withdrawals.
COMMIT_STEMS = f"{PUNITIVE_STEMS}|تحرك|وقف|نسحب|علق|صعد|تدخل|لجا|سحب"
COMMIT_FUTURE = re.compile(rf"^س[يتن](?:{COMMIT_STEMS}|تخذ|فرض)(?:ون|وا|ان)?{ENC}$")
# after سوف, the imperfect alone: "سوف ترد"، "سوف تتخذ"، "سوف نطرد"
COMMIT_PRESENT = re.compile(rf"^[يتن](?:{COMMIT_STEMS}|تخذ|فرض|رد|{ATTACK_STEMS}|ستخدم)(?:ون|ان)?{ENC}$")
# "واشنطن مستعدة لتوجيه ضربة عسكرية إذا …"، "مستعدة لاستئناف التخصيب إلا إذا …": readiness for a harmful act.
READY = re.compile(r"^(?:ال)?مستعد(?:ه|ون|ين|ان)?$")
# Relief, the opposite of a harmful act: "مستعدة لرفع العقوبات" is an offer, and so are "تدرس منح إعفاء من العقوبات"
# and "ستواصل خفض الرسوم على الواردات".
RELIEF = frozenset("رفع لرفع برفع تخفيف لتخفيف بتخفيف الغاء لالغاء بالغاء منح لمنح بمنح اعفاء لاعفاء باعفاء خفض لخفض"
                   " بخفض تخفيض لتخفيض بتخفيض".split())
# What a goal is set in, not whom an attack hits: "فستستهدفه مصر بنحو 2% من الناتج المحلي".
FIGURES = re.compile(r"^(?:\d[\d.,]*%|%|بالمئه|المئه|الناتج|النمو|العجز)$")
READY_ACTS = re.compile(r"ضرب|رد|استئناف|استخدام|القوه|عسكري|حرب|تصعيد|فرض|عقوبات|هجوم|مواجهه|تدخل|انتقام")
# "لن تسمح"، "لن نتردد"، "لن يتهاون"، "لن تسكت": a refusal that may be a deterrent threat.
REFUSE_STEMS = "سمح|تردد|تهاون|سكت"
REFUSE = re.compile(rf"^[يتن](?:{REFUSE_STEMS})(?:ون|وا|ا|ان)?$")

# What a threatened response/attack looks like right after "يواصل", "سيواجه"...
ATTACK_NOUNS = re.compile(r"^(?:هجمات|هجماتها|هجماته|هجماتهم|عمليات|عملياتها|ضربات|ضرباتها|استهداف|قصف)$")
CONSEQUENCES = re.compile(r"^(?:عواقب|تبعات|تداعيات|مشكلات|مشاكل|شيئا|عقوبات|ثمنا|الثمن|رد|ردا)$")
PRICE = re.compile(r"^(?:ال)?ثمن(?:ا)?$")
RESPONSE_NEXT = re.compile(r"^(?:علي|عليه|عليها|عليهم|عليكم|بقوه|بكل|بشكل|بسرعه|بالمثل|فورا|بحزم|قريبا|بحسم|بالقوه|بما|الرد|ردا|ب.*)$")

# Harm a warning must announce to count as a threat (searched in the normalised text after the trigger).
WARNING_HARM = re.compile(
    r"عواقب|تبعات|تداعيات (?:\" )?لم|\b(?:س[يتن]ندم\w*|الندم|ندم)\b|س[يتن]دفع\w* (?:ال)?ثمن|س[يتن]رد|سنرد|للرد|بالرد|للضرب|بضرب"
    r"|عمل عسكري|تحرك عسكري|اجراء عسكري|اجراءات عسكريه|س[يت]ستخدم|ستطلق النار|وستطلق النار|مغبه|س[يت]واجه|سوف [تي]واجه"
    r"|\bو?س[يتن]فرض\b|\b[يت]فرض (?:\S+ ){0,4}(?:رسوم|عقوبات)|انتقاميه|\bلن [يت]سمح\b|رادعه"
    r"|\bو?س(?:وف )?[يت](?:سقط|ستهدف|ضرب|قصف|هاجم)\b|\bو?س[يتن]تخذ\b"
    # a response named with its force ("من رد قوي"), an intervention it would bring, an ultimatum's "unless"
    r"|\bرد(?:ا)? (?:\" )?(?:قوي|حازم|صارم|مناسب|عسكري|حاسم|ساحق|قاس)|\bتدخلا? (?:عسكري|اميركي|امريكي)|\bما لم\b"
)
# Who warns when a warning is advice, not a threat (doctors, experts, forecasters, markets).
ADVISORY_SPEAKERS = re.compile(
    r"اطباء|طبيب|(?<!\w)طبي(?:ه|ين)?(?!\w)|خبراء|خبير|علماء|باحث|دراسه|استشاري|(?<!\w)صحي(?:ون|ين|ه)?(?!\w)|الصحه|منظمه الصحه|صندوق النقد|البنك|الارصاد"
    r"|محلل|مراقبون|المراقبين|تقرير|المنظمه الدوليه|مسؤولون صحيون|الامم المتحده|غوتيريس|الامين العام"
)
ADVISORY_TOPICS = re.compile(
    r"فيروس|مرض|امراض|السمنه|الطقس|امطار|عاصفه|اعصار|الاسعار|الاسواق|النمو|التضخم|الاطفال|التدخين|الحراره|الزلزال"
)

# Subjects/objects that turn يهدد into "endangers" (things, events, abstractions).
ENDANGERED = frozenset(
    "حياه حياته حياتهم سلامه امن الامن استقرار الاستقرار مستقبل صداره مرمي مشاركه مشاركته وجود شرعيه الملاحه"
    " مصير حلم حلمه مناخ الصحه خصوصيه الوظائف نجاح نجاحه السواحل وحده هيمنه حكم عمليه الاقتصاد التجاره طموحات"
    " اللقب بقاء سياده السلام المحاصيل الثروه البيئه التنوع الانتاج شمال جنوب شرق غرب حدود الحدود".split()
)
NON_AGENT_SUBJECTS = frozenset(
    "ما مما التي الذي والتي والذي هذا هذه ذلك انه انها كادت ارتفاع الاسعار العنف الخطوه القرار الازمه المرض"
    " الاصابه الحرب التطورات المخاطر السجل الاجراءات الزياده الانفلات الغاز الوضع السياسه الفيضانات الجفاف"
    " التغير الاحتباس الظاهره المشكله الفقر البطاله الديون الرسوم لانها لانه لكونها اداء الاداء"
    # things and events, not agents: "خطة تهدد بإغلاق المصنع"، "تلوث الهواء يهددنا"، "الأمطار … تهدد بغمر الكهف"
    " خطه ازمه الازمات تلوث امطار الامطار اعصار الاعصار عاصفه العاصفه فيضانات ظروف اوضاع الاوضاع اصابات فيروس"
    " الفيروس وباء الاوبئه حرائق الحرائق الصراع النزاع الخلافات التوترات الاضطرابات الاضطراب التطرف الارهاب"
    " الفساد هجمات الهجمات مواجهات المواجهات كرات مركبه"
    # conditions and policies: "شلل مالي يهدد إيران"، "سياسات الحكومة تهدد بجعل الأجانب كبش فداء"
    " شلل الشلل سياسات السياسات مشكلات المشكلات مشاكل المشاكل".split()
)
# Verbs of being and becoming: a participle after one is a state ("ويظل بالاس مهددا بالهبوط"، "أصبح مهددا بمغادرتها").
COPULAS = frozenset(
    "كان كانت يكون تكون يكن تكن ظل ظلت يظل تظل بات باتت يبيت تبيت اصبح اصبحت يصبح تصبح اضحي اضحت صار صارت"
    " يصير تصير بقي بقيت يبقي تبقي يزال تزال زال زالت جعله جعلها جعلهم يجعله يجعلها يجعلهم تجعله تجعلها"
    " جعل جعلت يجعل تجعل".split()  # "ما جعل "البيسيليستي" مهددا بالخروج": made X (be) under threat
)
# Hardships, charges and sentences one faces, not harm someone inflicts ("سيواجه تحديا يتمثل في إعادة إعمار العراق"، "ستواجه
# مشكلة"، "سيواجه بشكل منفصل ادعاءات تقول إنه كان جزءا من مؤامرة").
HARDSHIPS = re.compile(r"^(?:ال)?(?:صعوب(?:ه|ات)|تحد|تحديا|تحديات|مشكله|منافسه|متاعب|ادعاءات|اتهامات|تهم|تهما|تهمه|السجن|سجن|الحبس)$")
# What one replies to, not retaliates against ("سترد على الطلب الروسي في الوقت المناسب").
REPLY_OBJECTS = re.compile(r"^(?:ال)?(?:طلب|طلبات|سؤال|اسئله|تساؤلات|رساله|رسائل|استفسار|استفسارات|مقترح|مقترحات|اقتراح|عرض|دعوه|اتهامات|انتقادات|مذكره|خطاب)$")
# Relative pronouns: their antecedent, not the pronoun, is the subject of the verb after them.
RELATIVES = frozenset("الذي التي الذين اللذين اللتين اللواتي".split())
# بـ-complements that report something happening rather than an act someone will do.
HAPPENING = re.compile(r"^ب(?:ال)?(?:حدوث|حصول|وجود|تراجع|هبوط|انتهاء|مزيد|انهيار|وقوع|اندلاع|تفاقم|انقراض|تعطيل|ارتفاع|انخفاض|تدهور|انتشار|تحول|زعزعه|اصابه|فقدان|خساره)")
NOT_ACTION_B = normalised("بسبب بعد بعدما بين بينها بينهما بينهم بشان بها به بهم بلاده بلادها بلاد بدون بينما بحسب ببلاده بنفسه بعض باسم بصفته بصفتها بشكل".split())
BRANDISH_CONCRETE = re.compile(r"^ب(?:ال)?(?:سكاكين|سكين|اسلحه|اعلام|علم|ايدي|يد|لافتات|صور|اعلامهم|علامه|اشاره)")

NEGATORS = frozenset({"لم", "لا", "لن", "ما", "الا", "غير", "عدم", "بعدم", "ليس", "ليست", "ليسوا", "لسنا", "لست"})
DENIAL = re.compile(r"^(?:نفي|نفت|ينفي|تنفي|ينفون|نفوا|نفى|ونفى|ونفت)$")
QUESTION_WORDS = frozenset({"ماذا", "هل", "لماذا", "كيف", "متي", "اين", "ايهما", "لم"})
SPECULATION = re.compile(r"^(?:يعتقد|يري|يرى|توقع|يتوقع|يرجح|ربما|يحتمل|يخشي|تخشي|يخشون|خبراء|المحللين|محللون|المراقبون)$")
# Fears of what another may do: speculation only when the feared act follows ("وسط مخاوف من أن واشنطن ستفرض …").
FEARS = frozenset("مخاوف المخاوف تخوف تخوفات خشيه".split())

REPORTING_VERBS = re.compile(
    r"^(?:قال|قالت|يقول|تقول|اكد|اكدت|يؤكد|تؤكد|اضاف|اضافت|اعلن|اعلنت|ذكر|ذكرت|اعتبر|اعتبرت|صرح|صرحت|شدد|شددت"
    r"|اوضح|اوضحت|تابع|تابعت|افاد|افادت|نقل|نقلت|كتب|كتبت|غرد|غردت|مضيفا|مضيفه|مؤكدا|مؤكده|مشددا|مشدده|قائلا|قائله)$"
)

# Tokens that end a noun phrase (actor/target) — normalised.
TIME_WORDS = normalised(
    # adverbs of time and manner sit between a verb's subject and its object like time words do
    "مرارا مرارا وتكرارا علنا صراحه بدوره بدورها كذلك بالمقابل المقابل ايضا شخصيا"
    " اليوم امس الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت مساء صباح مؤخرا الليله غدا سابقا مجددا"
    " علانيه اول الشهر الاسبوع العام الحالي الماضي المقبل الجاري يوم"
    # months (Gregorian and Levantine): "وفي 10 نيسان/أبريل أمهلت…" is when, never who
    " يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر كانون شباط اذار نيسان ايار"
    " حزيران تموز اب ايلول تشرين".split()
)
FUNCTION_WORDS = normalised(
    "في من على علي الى الي عن ان انه انها انهم بان بانه بانها قد كما التي الذي الذين بعد قبل خلال ضد مع حتى بل ولكن"
    " لكن لان اذا اذ حيث منذ عند او ثم وقد كان كانت وكان وكانت يكون تكون لم لن لا ما هو هي هم و ف ثمه"
    " قال قالت اكد اكدت اعلن اعلنت وقال وقالت واكد واكدت مضيفا وذلك ذلك هذا هذه تلك عدد بينما فيما ايضا"
    " بعدما عندما حينما كلما لما الذين اللذين اللتين اللواتي حول".split()
)
PUNCT = frozenset('،,.:;؛"«»()[]-–—!?؟\'“”')

# States after "في حالة" that make it "in a state of", not "in case" ("في حالة حرب مع سوريا").
STATES = frozenset("حرب الحرب تاهب استنفار طوارئ الطوارئ ترقب فوضي صدمه جمود حداد غيبوبه خطر ذهول غضب هدوء".split())
CONDITION_MARKERS: tuple[tuple[str, ...], ...] = (
    ("اذا", "لم"), ("ان", "لم"), ("ما", "لم"), ("في", "حال"), ("في", "حاله"), ("اذا", "ما"), ("اذا",),
    ("بحال",), ("حال",), ("والا",), ("لو",), ("شريطه",), ("ما", "لم"),
)

# Verbs of receiving, suffering or facing a threat ("تلقت تهديدات بالقتل"، "تعرض لتهديدات"، "عادت لتطال"): the threat
# is reported without its author. One list for the hand filter and the decision layer's feature.
RECEIVED = frozenset(
    "تلقي تلقت يتلقي تتلقي تلقوا تلقيها تلقيه تلقين تلقينا تلقيت وجود بوجود تعرض تعرضت يتعرض تتعرض تعرضن تعرضوا تعرضنا"
    " يتعرضون لتطال تطال يواجه تواجه ويواجه وتواجه".split()
)
# Words that open a clause of time or cause after a threatened act ("… عقب قرار واشنطن"): the act ends there, and
# whoever the clause names provoked the threat.
REASON_OPENERS = frozenset("عقب اثر بعيد جراء بسبب ردا احتجاجا".split())
# Definite nouns that name an agent (bodies, groups, states, forces): the feminine singulars keep a subject from
# reading as an abstraction ("الحكومة هددت"), and all of them make a subject or object an agent for the decision layer.
AGENT_BODIES = frozenset(
    "الحكومه الوزاره الشرطه الدوله الاداره الجماعه الحركه المنظمه الهيئه السلطه الشركه الرئاسه الميليشيا"
    " المليشيا الجبهه القياده الكتله الجمهوريه المعارضه المملكه الامارات الجامعه الاخيره"
    " المحكمه النيابه البعثه الخليه العصابه القناه الصحيفه الوكاله اللجنه المفوضيه القوه الكتيبه الفرقه"
    " الجيش الميليشيات المليشيات الحوثيون الحوثيين المسلحون النظام الفصائل".split()
)
